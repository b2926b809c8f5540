package io.ctcohort.core.layout;

import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one way every command that writes under an output root (segment, measure, analyze, catalog)
 * takes that root's lock around its work (docs/DESIGN.md "One writer per output root"), in a
 * try-with-resources: the root qualified, the lock taken as the command's {@link LockPolicy} says
 * (refused with {@link OutputLockedException} naming the live holder, or after waiting for it), the
 * holder named at once, the lock released however the work ends. The work names its run
 * ({@link OutputLock#runId}) once it knows it and checks it still holds the lock before it publishes
 * ({@link OutputLock#checkHeld}).
 */
public final class LockedOutput {
    private LockedOutput() {
    }

    /**
     * Takes the lock of {@code root}; waiting and take-overs are said on {@code log}.
     *
     * @param holder what the lock file names until the work names its run (e.g. "catalog", "analyze of RUN")
     * @throws OutputLockedException when another live job holds the root and the policy does not wait
     */
    public static OutputLock take(FileSystem fs, Path root, LockPolicy policy, String holder, PrintStream log)
            throws IOException {
        OutputLock lock = OutputLock.acquire(fs, fs.makeQualified(root), policy.staleAfter(), policy.waitForLock(), log);
        try {
            lock.runId(holder);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }
}
