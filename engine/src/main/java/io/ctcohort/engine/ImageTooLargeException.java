package io.ctcohort.engine;

/** An image whose header declares more voxels than the configured limit (refused before allocating). */
public class ImageTooLargeException extends InvalidImageException {
    public ImageTooLargeException(String file, String problem) {
        super(file, problem);
    }
}
