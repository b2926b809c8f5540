package io.ctcohort.core.cli;

import io.ctcohort.core.layout.LockPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The output lock's options (docs/DESIGN.md "One writer per output root"), declared once for every
 * command that writes under an output root: {@code segment}, {@code measure}, {@code analyze} and
 * {@code catalog}; each holds its lock through {@link io.ctcohort.core.layout.LockedOutput} with
 * {@link #policy()}.
 */
public final class LockOptions {
    /** How long a lock may go without a heartbeat before another job takes it over. */
    public static final int DEFAULT_STALE_SECONDS = LockPolicy.DEFAULT_STALE_SECONDS;

    @Option(names = "--wait-for-lock",
            description = "When another job writes to OUT, wait for it to finish instead of refusing to start.")
    boolean waitForLock;

    @Option(names = "--lock-stale-seconds", paramLabel = "S", defaultValue = "" + DEFAULT_STALE_SECONDS,
            description = "A job on OUT whose lock has had no heartbeat for S seconds (killed) is taken over."
                    + " Default: ${DEFAULT-VALUE}.")
    int lockStaleSeconds = DEFAULT_STALE_SECONDS;

    public boolean waitForLock() {
        return waitForLock;
    }

    public int lockStaleSeconds() {
        return lockStaleSeconds;
    }

    /** The silence after which a holder is taken for dead; at least a second. */
    public Duration staleAfter() {
        return policy().staleAfter();
    }

    /** The options as the lock takes them; a stale time under a second is refused (exit 2). */
    public LockPolicy policy() {
        return LockPolicy.of(lockStaleSeconds, waitForLock);
    }
}
