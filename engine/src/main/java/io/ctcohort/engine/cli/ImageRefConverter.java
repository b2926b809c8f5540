package io.ctcohort.engine.cli;

import io.ctcohort.engine.input.ImageRef;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli: an image option ({@code --ct}) is parsed once, at the command line, into an {@link ImageRef}. */
public final class ImageRefConverter implements ITypeConverter<ImageRef> {
    @Override
    public ImageRef convert(String value) {
        try {
            return ImageRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
