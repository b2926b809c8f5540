package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;

import java.io.Serializable;

/**
 * Where a model runs: the CPU, or CUDA device N through ONNX Runtime's CUDA execution provider.
 * Parsed once where a user names it (a command line); every layer below passes this value.
 */
public record Device(Kind kind, int index) implements Serializable {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);

    /** Parses "cpu", "cuda" (device 0) or "cuda:N". */
    public static Device parse(String s) {
        String t = s == null ? "" : s.trim().toLowerCase();
        if (t.equals("cpu")) {
            return CPU;
        }
        if (t.equals("cuda") || t.equals("gpu")) {
            return new Device(Kind.CUDA, 0);
        }
        if (t.startsWith("cuda:")) {
            try {
                int n = Integer.parseInt(t.substring(5));
                if (n >= 0) {
                    return new Device(Kind.CUDA, n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new CtCohortException("unknown device '" + s + "': use cpu or cuda:N");
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
