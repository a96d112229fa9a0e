package dev.nalu.compute;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One ND4J thread per job: two OpenMP threads on a busy 2-core machine collapse, so jobs run
 * side by side, one per core, each single-threaded. OMP_NUM_THREADS=1 in the environment does
 * it for the whole process; these calls do what can be done from Java when it is unset.
 */
public final class Nd4jRuntime {
    private static volatile boolean configured;

    private Nd4jRuntime() {
    }

    /** Call on the thread that will run ND4J ops. */
    public static void singleThreadedOnThisThread() {
        if (!configured) {
            synchronized (Nd4jRuntime.class) {
                if (!configured) {
                    Nd4j.getEnvironment().setMaxMasterThreads(1);
                    Nd4j.factory().blas().setMaxThreads(1);
                    configured = true;
                }
            }
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
    }
}
