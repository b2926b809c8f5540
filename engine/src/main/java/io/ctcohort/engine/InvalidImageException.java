package io.ctcohort.engine;

/** An image file that cannot be read as a CT or label map; the message names the file and the problem. */
public class InvalidImageException extends CtCohortException {
    public InvalidImageException(String file, String problem) {
        super(file + ": " + problem);
    }

    public InvalidImageException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
