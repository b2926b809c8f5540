package io.ctcohort.engine.image;

import io.ctcohort.engine.InvalidImageException;

/** A label map that does not lie on its CT's grid; the message names both files and what differs. */
public final class GridMismatchException extends InvalidImageException {
    public static final String CODE = "GRID_MISMATCH";

    public GridMismatchException(String mask, String problem) {
        super(mask, problem, null, CODE);
    }
}
