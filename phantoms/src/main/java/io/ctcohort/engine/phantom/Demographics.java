package io.ctcohort.engine.phantom;

import java.time.LocalDate;

/** Who the phantom patient is: age in years (18-95), sex "F" or "M", and the exam date. */
public record Demographics(int age, String sex, LocalDate scanDate) {
    public boolean male() {
        return "M".equals(sex);
    }
}
