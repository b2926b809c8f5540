package io.ctcohort.analytics.local;

import io.ctcohort.analytics.QcRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's rows counted by the first QC rule they break, in the order the rules are checked, and the
 * rows that pass.
 */
final class RuleCounts {
    private final List<QcRule> rules;
    private final long[] counts; // one per rule, + pass

    RuleCounts(List<QcRule> rules) {
        this.rules = rules;
        this.counts = new long[rules.size() + 1];
    }

    /** Counts a row whose first broken rule is {@code broken} (null: none); whether it passes. */
    boolean pass(QcRule broken) {
        counts[broken == null ? rules.size() : rules.indexOf(broken)]++;
        return broken == null;
    }

    /** Every row counted. */
    long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Rule code -> rows it removed, in the order the rules are checked. */
    Map<String, Long> removed() {
        Map<String, Long> removed = new LinkedHashMap<>();
        for (int r = 0; r < rules.size(); r++) {
            removed.put(rules.get(r).code(), counts[r]);
        }
        return removed;
    }
}
