package io.ctcohort.engine;

/** An image whose header declares more voxels than the configured limit (refused before allocating). */
public class ImageTooLargeException extends InvalidImageException {
    public static final String CODE = "IMAGE_TOO_LARGE";

    public ImageTooLargeException(String file, String problem) {
        super(file, problem, null, CODE);
    }
}
