package io.ctcohort.core.layout;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per output root. The lock is a series of small files {@code OUT/_lock/<generation>};
 * the highest generation is the holder, who rewrites its file as a heartbeat. A job acquires the
 * lock by creating the next generation exclusively ({@link ExclusiveCreate}), which only one of
 * several racing jobs can do. A holder whose file has not been rewritten for {@code staleAfter}
 * is taken for dead (killed, its machine gone), and the next generation takes over; the dead
 * job's own file is left, so a job that was only paused finds a newer generation at its next
 * heartbeat or {@link #checkHeld()} and stops before publishing. Releasing marks the holder's file
 * released rather than deleting it, so generations only grow and a paused job can never mistake a
 * later job's generation 1 for its own lock still held.
 */
public final class OutputLock implements AutoCloseable {
    public static final String DIR = "_lock";
    private static final int DIGITS = 12;

    /** What a lock file says about its job. */
    public record Holder(long generation, String runId, String host, String pid, Instant started, Duration silence,
                         boolean released) {
        String describe() {
            return "run " + runId + " on host " + host + " (pid " + pid + "), started " + started
                    + ", last heartbeat " + silence.toSeconds() + " s ago";
        }
    }

    private final FileSystem fs;
    private final Path dir;
    private final long generation;
    private final Duration staleAfter;
    private final String token = UUID.randomUUID().toString();
    private final Instant started = Instant.now();
    private final ScheduledExecutorService heartbeat;
    private volatile String runId = "(planning)";
    private volatile String lost;
    private volatile boolean released;

    private OutputLock(FileSystem fs, Path dir, long generation, Duration staleAfter) {
        this.fs = fs;
        this.dir = dir;
        this.generation = generation;
        this.staleAfter = staleAfter;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ctcohort-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the lock of {@code root}: at once, or after waiting for the live holder when {@code wait};
     * a holder silent for {@code staleAfter} is taken over (said on {@code log}).
     *
     * @throws OutputLockedException naming the live holder (run id, host, start time) when not waiting
     */
    public static OutputLock acquire(FileSystem fs, Path root, Duration staleAfter, boolean wait, PrintStream log)
            throws IOException {
        Path dir = new Path(root, DIR);
        Duration poll = Duration.ofMillis(Math.max(200, Math.min(5000, staleAfter.toMillis() / 10)));
        boolean said = false;
        while (true) {
            Holder holder = holder(fs, dir);
            if (holder != null && !holder.released() && holder.silence().compareTo(staleAfter) < 0) {
                if (!wait) {
                    throw new OutputLockedException("output " + root + " is in use by another job: "
                            + holder.describe() + ". Run again when it has finished, or pass --wait-for-lock;"
                            + " a job silent for " + staleAfter.toSeconds() + " s is taken for dead and its lock"
                            + " taken over.");
                }
                if (!said) {
                    log.println("waiting for the lock of " + root + ": held by " + holder.describe());
                    said = true;
                }
                sleep(poll);
                continue;
            }
            long next = holder == null ? 1 : holder.generation() + 1;
            OutputLock lock = new OutputLock(fs, dir, next, staleAfter);
            if (ExclusiveCreate.create(fs, lock.file(next), lock.content())) {
                if (holder != null && !holder.released()) {
                    log.println("took over the lock of " + root + " from a job silent for "
                            + holder.silence().toSeconds() + " s (limit " + staleAfter.toSeconds() + " s): "
                            + holder.describe());
                }
                lock.start();
                return lock;
            }
            // another job created that generation first: look again
        }
    }

    /** The current holder (highest generation), or null when there is none. */
    static Holder holder(FileSystem fs, Path dir) throws IOException {
        IOException changed = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Long> gens = generations(fs, dir);
            if (gens.isEmpty()) {
                return null;
            }
            long top = gens.get(gens.size() - 1);
            Path p = new Path(dir, name(top));
            try {
                FileStatus st = fs.getFileStatus(p);
                Properties props = new Properties();
                props.load(new StringReader(OutputLayout.readSmall(fs, p)));
                Duration silence = Duration.between(Instant.ofEpochMilli(st.getModificationTime()), Instant.now());
                return new Holder(top, props.getProperty("run_id", "?"), props.getProperty("host", "?"),
                        props.getProperty("pid", "?"), parse(props.getProperty("started")),
                        silence.isNegative() ? Duration.ZERO : silence,
                        Boolean.parseBoolean(props.getProperty("released")));
            } catch (FileNotFoundException e) {
                // removed between listing and reading: list again
            } catch (IOException e) {
                // S3A reads with If-Match on the ETag it listed: a heartbeat in between gives 412, read again
                changed = e;
                sleep(Duration.ofMillis(100));
            }
        }
        if (changed != null) {
            throw changed;
        }
        return null;
    }

    private static List<Long> generations(FileSystem fs, Path dir) throws IOException {
        List<Long> gens = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(dir)) {
                String n = s.getPath().getName();
                if (s.isFile() && n.length() == DIGITS && n.chars().allMatch(Character::isDigit)) {
                    gens.add(Long.parseLong(n));
                }
            }
        } catch (FileNotFoundException e) {
            return gens;
        }
        gens.sort(null);
        return gens;
    }

    /** Names the run this job writes, in the lock file (so a refused job can say which run holds it). */
    public void runId(String id) throws IOException {
        this.runId = id;
        beat();
    }

    /** Throws when another job has taken the lock over (this one was silent too long): it must not publish. */
    public void checkHeld() throws IOException {
        if (lost == null) {
            List<Long> gens = generations(fs, dir);
            if (!gens.isEmpty() && gens.get(gens.size() - 1) > generation) {
                lost = "generation " + gens.get(gens.size() - 1) + " is newer than this job's " + generation;
            }
        }
        if (lost != null) {
            throw new OutputLockedException("output " + dir.getParent() + ": another job took the lock over from"
                    + " this one (" + lost + "); this run stops without publishing");
        }
    }

    public long generation() {
        return generation;
    }

    private void start() {
        long every = Math.max(100, staleAfter.toMillis() / 5);
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                checkHeld();
                beat();
            } catch (OutputLockedException e) {
                heartbeat.shutdown();
            } catch (IOException | RuntimeException e) {
                // a missed beat is survivable; staleAfter allows for several
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void beat() throws IOException {
        if (lost == null) {
            OutputLayout.writeAtomically(fs, file(generation), content(), isObjectStore());
        }
    }

    private boolean isObjectStore() {
        String scheme = fs.getUri().getScheme();
        return scheme != null && scheme.startsWith("s3");
    }

    /** Stops the heartbeat, marks this job's lock file released and removes older ones (left by dead jobs). */
    @Override
    public void close() throws IOException {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lost != null || generations(fs, dir).stream().anyMatch(g -> g > generation)) {
            return;
        }
        released = true;
        OutputLayout.writeAtomically(fs, file(generation), content(), isObjectStore());
        for (long g : generations(fs, dir)) {
            if (g < generation) {
                fs.delete(file(g), false);
            }
        }
    }

    private Path file(long g) {
        return new Path(dir, name(g));
    }

    private static String name(long g) {
        return String.format("%0" + DIGITS + "d", g);
    }

    private byte[] content() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        String text = "run_id=" + runId + "\nhost=" + host + "\npid=" + ProcessHandle.current().pid()
                + "\nstarted=" + started + "\ntoken=" + token + "\nheartbeat=" + Instant.now()
                + "\nreleased=" + released + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Instant parse(String s) {
        try {
            return s == null ? Instant.EPOCH : Instant.parse(s);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the output lock");
        }
    }
}
