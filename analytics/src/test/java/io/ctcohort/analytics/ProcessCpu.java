package io.ctcohort.analytics;

/** CPU time of this JVM, for the benchmarks' printed figures (both cores count). */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long millis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }
}
