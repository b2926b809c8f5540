package io.ctcohort.pipeline.cli;

import io.ctcohort.pipeline.job.DeviceRequest;
import picocli.CommandLine.ITypeConverter;

/** picocli: {@code segment --device} is parsed once, at the command line, into a {@link DeviceRequest}. */
final class DeviceRequestConverter implements ITypeConverter<DeviceRequest> {
    @Override
    public DeviceRequest convert(String value) {
        return DeviceRequest.parse(value);
    }
}
