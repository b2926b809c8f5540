package io.ctcohort.pipeline.job;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.infer.Device;
import java.io.Serializable;

/**
 * What {@code --device} asks of a job, parsed once at the command line; each task turns it into the
 * {@link Device} it runs on ({@link #resolve}) from the GPU Spark's scheduler assigned it, if any.
 */
public sealed interface DeviceRequest extends Serializable {
    /** The assigned GPU, else the CPU. */
    record Auto() implements DeviceRequest {
        @Override
        public Device resolve(Integer assignedGpu) {
            return assignedGpu != null ? new Device(Device.Kind.CUDA, assignedGpu) : Device.CPU;
        }

        @Override
        public String toString() {
            return "auto";
        }
    }

    /** The assigned GPU, else GPU 0: never the CPU. */
    record AnyGpu() implements DeviceRequest {
        @Override
        public Device resolve(Integer assignedGpu) {
            return new Device(Device.Kind.CUDA, assignedGpu != null ? assignedGpu : 0);
        }

        @Override
        public String toString() {
            return "cuda";
        }
    }

    /** Exactly this device, whatever Spark assigned. */
    record Fixed(Device device) implements DeviceRequest {
        @Override
        public Device resolve(Integer assignedGpu) {
            return device;
        }

        @Override
        public String toString() {
            return device.toString();
        }
    }

    DeviceRequest AUTO = new Auto();
    DeviceRequest CPU = new Fixed(Device.CPU);

    /** The device of a task that Spark gave GPU {@code assignedGpu} (null: none). */
    Device resolve(Integer assignedGpu);

    /** Parses auto, cpu, cuda (or gpu) and cuda:N. */
    static DeviceRequest parse(String s) {
        String t = s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("cuda") || t.equals("gpu")) {
            return new AnyGpu();
        }
        try {
            return new Fixed(Device.parse(t));
        } catch (CtCohortException e) {
            throw new CtCohortException("unknown device '" + s + "': use auto, cpu, cuda or cuda:N");
        }
    }
}
