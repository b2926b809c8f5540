package io.ctcohort.core.layout;

import io.ctcohort.core.CtCohortException;
import java.time.Duration;

/**
 * How a command takes its output root's lock: a holder silent for {@code staleAfter} is taken for dead
 * and its lock taken over; a live holder makes the command wait ({@code waitForLock}) or refuse. Every
 * command that writes under an output root gets it from the same options (core's {@code LockOptions}).
 */
public record LockPolicy(Duration staleAfter, boolean waitForLock) {
    /** How long a lock may go without a heartbeat before another job takes it over, by default. */
    public static final int DEFAULT_STALE_SECONDS = 120;
    /** Refuse while another live job holds the root; take over after two minutes of silence. */
    public static final LockPolicy DEFAULT = new LockPolicy(Duration.ofSeconds(DEFAULT_STALE_SECONDS), false);

    public LockPolicy {
        if (staleAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new CtCohortException("--lock-stale-seconds must be >= 1, got " + staleAfter.toSeconds());
        }
    }

    /** {@code --lock-stale-seconds} and {@code --wait-for-lock} as given on a command line. */
    public static LockPolicy of(int staleSeconds, boolean waitForLock) {
        return new LockPolicy(Duration.ofSeconds(staleSeconds), waitForLock);
    }
}
