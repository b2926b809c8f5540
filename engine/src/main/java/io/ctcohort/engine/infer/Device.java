package io.ctcohort.engine.infer;

import io.ctcohort.core.CtCohortException;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where a model runs, both as asked for and as run. Parsed once where a user names it (a command
 * line) by {@link #parse}, the one parser; every layer below passes this value.
 * <ul>
 * <li>A <b>request</b>: {@code auto} (the GPU Spark assigns a task, else the CPU) or {@code cuda}
 *     (the GPU Spark assigns a task, else GPU 0; never the CPU).</li>
 * <li>A <b>concrete</b> device: {@code cpu} or {@code cuda:N}, what a session is created on and what
 *     the exams table's {@code device} column says.</li>
 * </ul>
 * {@link #resolve} turns a request into a concrete device, given the GPU a task was assigned: the
 * rule lives there and nowhere else. Outside Spark nothing is assigned, so {@code cuda} is
 * {@code cuda:0} and {@code auto} is {@code cpu}.
 */
public record Device(Kind kind, int index) implements Serializable {
    public enum Kind { AUTO, CPU, CUDA }

    /** The index of a request that names no GPU of its own ({@code auto}, {@code cuda}). */
    public static final int UNASSIGNED = -1;
    public static final Device CPU = new Device(Kind.CPU, 0);
    public static final Device AUTO = new Device(Kind.AUTO, UNASSIGNED);
    public static final Device ANY_GPU = new Device(Kind.CUDA, UNASSIGNED);

    public Device {
        boolean ok = switch (kind) {
            case CPU -> index == 0;
            case AUTO -> index == UNASSIGNED;
            case CUDA -> index >= UNASSIGNED;
        };
        if (!ok) {
            throw new IllegalArgumentException("no device " + kind + " with index " + index);
        }
    }

    /** CUDA device {@code n}. */
    public static Device cuda(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + n);
        }
        return new Device(Kind.CUDA, n);
    }

    /** Parses auto, cpu, cuda (or gpu: a GPU Spark assigns, else 0) and cuda:N. */
    public static Device parse(String s) {
        String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "cuda", "gpu":
                return ANY_GPU;
            default:
                break;
        }
        if (t.startsWith("cuda:")) {
            try {
                int n = Integer.parseInt(t.substring(5));
                if (n >= 0) {
                    return cuda(n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new CtCohortException("unknown device '" + s + "': use auto, cpu, cuda or cuda:N");
    }

    /** Whether this names one device (cpu, cuda:N) rather than a request that a task resolves. */
    public boolean isConcrete() {
        return kind != Kind.AUTO && index != UNASSIGNED;
    }

    /**
     * The concrete device of a task that Spark gave GPU {@code assignedGpu} (null: none, as outside
     * Spark): auto takes the assigned GPU, else the CPU; cuda the assigned GPU, else GPU 0; cpu and
     * cuda:N stay what they are, whatever Spark assigned.
     */
    public Device resolve(Integer assignedGpu) {
        if (isConcrete()) {
            return this;
        }
        if (kind == Kind.AUTO) {
            return assignedGpu != null ? cuda(assignedGpu) : CPU;
        }
        return cuda(assignedGpu != null ? assignedGpu : 0);
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> index == UNASSIGNED ? "cuda" : "cuda:" + index;
        };
    }
}
