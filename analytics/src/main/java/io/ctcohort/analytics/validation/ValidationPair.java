package io.ctcohort.analytics.validation;

import java.io.Serializable;

/** One validation exam's value of a metric of a structure, as the model and as the reference measured it. */
public record ValidationPair(String examId, String structure, String metric, double model, double reference)
        implements Serializable {
}
