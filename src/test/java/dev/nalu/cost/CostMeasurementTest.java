package dev.nalu.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.nalu.bench.CostCheck;

/**
 * The job estimate against a real trainer (dev.nalu.bench.CostCheck, which also prints the table of
 * docs/performance.md): for the README's job, a Madsen preset and every unit as first, middle and last
 * layer, the ND4J buffers, the heap held for the run and one checkpoint are each at least what the
 * trainer really holds and at most twice it; for a shape of 318 MB of buffers, so is the growth of the
 * process's resident memory against the whole estimate.
 */
class CostMeasurementTest {

    @BeforeAll
    static void loadNd4j() {
        CostCheck.warmUp();
    }

    static List<CostCheck.Shape> shapes() {
        return CostCheck.shapes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void theEstimateIsNeverBelowWhatATrainerHoldsNorTwiceIt(CostCheck.Shape shape) {
        CostCheck.Measurement m = CostCheck.measure(shape, shape.resident());
        System.out.printf("%s: ND4J %,d estimated / %,d measured; heap %,d / %,d; checkpoint %,d / %,d; job %,d / resident %,d%n",
                shape.label(), m.estimate().trainingBuffers(), m.nd4j(), m.estimatedRetainedHeap(), m.heap(),
                m.estimatedCheckpoint(), m.checkpoint(), m.estimate().bytes(), m.resident());

        assertThat(m.estimate().trainingBuffers()).as("ND4J buffers").isBetween(m.nd4j(), 2 * m.nd4j());
        assertThat(m.estimatedRetainedHeap()).as("heap held for the run").isBetween(m.heap(), 2 * m.heap());
        assertThat(m.estimatedCheckpoint()).as("one checkpoint").isBetween((long) m.checkpoint(), 2L * m.checkpoint());
        if (shape.resident()) {
            // resident memory also counts what ND4J allocates outside arrays, and heap the JVM had to commit
            assertThat(m.resident()).as("resident growth").isGreaterThan(m.estimate().trainingBuffers() / 2);
            assertThat(m.estimate().bytes()).as("whole job against resident growth").isBetween(m.resident(), 2 * m.resident());
        }
    }
}
