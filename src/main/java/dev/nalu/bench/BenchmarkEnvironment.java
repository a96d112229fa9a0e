package dev.nalu.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The lines every benchmark prints around its table: what ran where, and how busy the machine was. */
final class BenchmarkEnvironment {

    private BenchmarkEnvironment() {
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** "env: OMP_NUM_THREADS=…, cores=…, load=…, JVM …" */
    static String line() {
        return String.format(Locale.ROOT, "env: OMP_NUM_THREADS=%s, cores=%d, load=%.2f, JVM %s",
                System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors(), loadAverage(),
                System.getProperty("java.runtime.version"));
    }

    /** "load average at end: …" */
    static String endLine() {
        return String.format(Locale.ROOT, "load average at end: %.2f", loadAverage());
    }
}
