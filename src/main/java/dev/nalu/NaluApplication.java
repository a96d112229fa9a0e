package dev.nalu;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The nalu-service application.
 *
 * <p>ND4J is not touched here: loading its natives costs seconds, so the compute code loads
 * it on first use. Two things must be in place before that happens, and only one of them
 * can be done from Java:
 *
 * <ul>
 *   <li>A stable native cache: JavaCPP extracts ~170 MB of libraries into
 *       {@code org.bytedeco.javacpp.cachedir}. {@link #main} sets it to
 *       {@code ~/.javacpp/cache} unless the launcher already did (Maven, Dockerfile).
 *   <li>One native thread per job: {@code OMP_NUM_THREADS=1} in the process environment.
 *       ND4J 1.0.0-M2.1 reads only environment variables for this ({@code OMP_NUM_THREADS},
 *       {@code SD_MAX_THREADS}, {@code SD_MASTER_THREADS}), at load; there is no system
 *       property and no {@code Nd4j.setNumThreads}. Measured on this version: the variable
 *       pins OpenBLAS, libnd4j and OpenMP for every thread. The API calls after load are
 *       partial: {@code Environment.setMaxThreads(1)} is ignored,
 *       {@code NativeOps.setOmpNumThreads(1)} binds only the calling thread (a reduction on a
 *       new thread still ran on two), {@code Nd4j.factory().blas().setMaxThreads(1)} and
 *       {@code Environment.setMaxMasterThreads(1)} hold. Java cannot set its own
 *       environment, so {@code spring-boot:run}, surefire and the Dockerfile set the
 *       variable, and a plain {@code java -jar} without it gets a warning.
 * </ul>
 */
@SpringBootApplication
public class NaluApplication {

    static final String JAVACPP_CACHEDIR = "org.bytedeco.javacpp.cachedir";

    private static final Logger log = LoggerFactory.getLogger(NaluApplication.class);

    public static void main(String[] args) {
        useStableNativeCache();
        SpringApplication.run(NaluApplication.class, args);
    }

    static void useStableNativeCache() {
        if (System.getProperty(JAVACPP_CACHEDIR) == null) {
            System.setProperty(JAVACPP_CACHEDIR,
                    Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfNd4jMayUseSeveralThreads() {
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            log.warn("OMP_NUM_THREADS is not 1: ND4J will run each job on all cores, and jobs "
                    + "running side by side will slow each other down. Start the service with "
                    + "OMP_NUM_THREADS=1 (./mvnw spring-boot:run and the Docker image do).");
        }
    }
}
