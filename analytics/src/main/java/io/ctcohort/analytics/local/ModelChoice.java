package io.ctcohort.analytics.local;

import io.ctcohort.analytics.QualityControl;
import java.util.ArrayList;
import java.util.List;

/**
 * The --model filter over a table's rows. Without --model every row is kept and the first two models
 * seen are noted, so that a table of several models is refused (as the Spark engine refuses it).
 */
final class ModelChoice {
    private final String table;
    private final String wanted;
    private final List<String> seen = new ArrayList<>(2);

    /** @param wanted the --model id, or null */
    ModelChoice(String table, String wanted) {
        this.table = table;
        this.wanted = wanted;
    }

    /** Whether a row of {@code model} is part of the study. */
    boolean keeps(String model) {
        if (wanted != null) {
            return wanted.equals(model);
        }
        if (seen.size() < 2 && !seen.contains(model)) {
            seen.add(model);
        }
        return true;
    }

    /** Refuses the table when it holds several models and --model chose none. */
    void requireOne() {
        if (wanted == null && seen.size() > 1) {
            throw QualityControl.severalModels(table, seen.get(0), seen.get(1));
        }
    }
}
