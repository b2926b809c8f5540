package io.ctcohort.engine.cli;

import io.ctcohort.engine.infer.Device;
import picocli.CommandLine.ITypeConverter;

/** picocli: {@code --device} is parsed once, at the command line, into a {@link Device}. */
public final class DeviceConverter implements ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
        return Device.parse(value);
    }
}
