package io.ctcohort.analytics.validation;

import java.io.Serializable;

/** The Dice of the model's and the reference's masks of one structure in one validation exam. */
public record ExamDice(String examId, String structure, double dice) implements Serializable {
}
