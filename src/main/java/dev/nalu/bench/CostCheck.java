package dev.nalu.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;

import dev.nalu.compute.Activation;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.cost.Cost;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.Task;

/**
 * The cost model's job estimate ({@link Cost#job}) against what a real {@link Trainer} holds, for a
 * few shapes. Each shape builds the job's data sets and its trainer, trains one step with a progress
 * report (so the evaluation chunk is allocated too) and writes one checkpoint, then measures:
 *
 * <ul>
 *   <li>ND4J: every distinct data buffer reachable from the trainer (its model, batches, passes and
 *       prepared ops), length × element size. JavaCPP's {@code Pointer.totalBytes()} does not see
 *       these: ND4J 1.0.0-M2.1 allocates them in libnd4j, and totalBytes grew by 48 bytes for a
 *       256 MB array here.</li>
 *   <li>heap: every distinct primitive array reachable from the trainer and the snapping set.</li>
 *   <li>checkpoint: the length of {@link Trainer#checkpoint()}.</li>
 *   <li>resident (with {@code --resident}, or for shapes marked so): the growth of the process's
 *       resident memory ({@code Pointer.physicalBytes()}) from before the data sets to after the
 *       checkpoint; it includes whatever ND4J allocates outside arrays.</li>
 * </ul>
 *
 * <p>Run: see docs/performance.md, "Memory: the cost model against a real trainer".
 */
public final class CostCheck {

    private CostCheck() {
    }

    /** A job's shape: its model on an arithmetic task of {@code model.inputs()} inputs. */
    public record Shape(String label, ModelSpec model, TrainingConfig training, int evaluationRows,
                        int extrapolationRanges, boolean resident) {
    }

    /** The estimate and the measured figures of one shape; resident is -1 when not measured. */
    public record Measurement(Shape shape, Cost.Job estimate, long nd4j, long heap, long checkpoint, long resident) {
        /** The heap the estimate says is held for the whole run (the rest is transient). */
        public long estimatedRetainedHeap() {
            return estimate.optimiser() + estimate.dataSets();
        }

        /** The estimate of one checkpoint's bytes. */
        public long estimatedCheckpoint() {
            return estimate.checkpoints() / Cost.CHECKPOINT_COPIES;
        }
    }

    public static void main(String[] args) {
        boolean resident = List.of(args).contains("--resident");
        warmUp();
        System.out.printf(Locale.ROOT, "env: OMP_NUM_THREADS=%s, max heap %d MiB, JVM %s%n", System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.version"));
        System.out.println("estimate = dev.nalu.cost.Cost.job; measured = buffers and arrays a real Trainer holds after one step, "
                + "one progress report and one checkpoint");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-46s %12s %12s %6s   %11s %11s %6s   %10s %10s %6s   %12s %12s%n",
                "shape", "ND4J est", "measured", "ratio", "heap est", "measured", "ratio", "ckpt est", "measured",
                "ratio", "job est", "resident");
        for (Shape s : shapes()) {
            Measurement m = measure(s, resident || s.resident());
            System.out.printf(Locale.ROOT, "%-46s %12s %12s %6.2f   %11s %11s %6.2f   %10s %10s %6.2f   %12s %12s%n",
                    s.label(), mib(m.estimate().trainingBuffers()), mib(m.nd4j()),
                    ratio(m.estimate().trainingBuffers(), m.nd4j()),
                    mib(m.estimatedRetainedHeap()), mib(m.heap()), ratio(m.estimatedRetainedHeap(), m.heap()),
                    mib(m.estimatedCheckpoint()), mib(m.checkpoint()), ratio(m.estimatedCheckpoint(), m.checkpoint()),
                    mib(m.estimate().bytes()), m.resident() < 0 ? "-" : mib(m.resident()));
        }
        Shape huge = new Shape("NMU(1000→32) → NAU(32→1) K=256 B=1024",
                ModelSpec.of(1000, LayerSpec.of(Unit.NMU, 32), LayerSpec.of(Unit.NAU, 1)),
                config(256, 1024, DataType.FLOAT, Optimizer.ADAM), 10_000, 1, false);
        Cost.Job job = Cost.job(huge.model(), huge.training(), huge.evaluationRows(), huge.extrapolationRanges());
        System.out.printf(Locale.ROOT, "%nnot built: %s needs %s of ND4J buffers and %s of heap%n", huge.label(),
                mib(job.trainingBuffers()), mib(job.heap()));
    }

    /** The shapes of docs/performance.md: the README's job, a Madsen preset, every unit first, in the middle and last. */
    public static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape("README a×b: NMU(2→1) K=16 B=64", ModelSpec.of(2, LayerSpec.of(Unit.NMU, 1)),
                config(16, 64, DataType.FLOAT, Optimizer.ADAM), 10_000, 2, false));
        shapes.add(new Shape("madsen-mul: NAU(100→2) → NMU(2→1) K=16 B=128",
                ModelSpec.of(100, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1)),
                config(16, 128, DataType.FLOAT, Optimizer.ADAM), 10_000, 1, false));
        for (Unit u : Unit.values()) {
            List<LayerSpec> layers = u == Unit.DENSE
                    ? List.of(LayerSpec.dense(4, Activation.RELU6), LayerSpec.dense(2, Activation.TANH), LayerSpec.dense(1, Activation.NONE))
                    : List.of(LayerSpec.of(u, 4), LayerSpec.of(u, 2), LayerSpec.of(u, 1));
            ModelSpec spec = new ModelSpec(12, layers);
            shapes.add(new Shape(spec.describe().replace("[", "").replace("]", "") + " K=8 B=32", spec,
                    config(8, 32, DataType.FLOAT, Optimizer.ADAM), 500, 1, false));
        }
        shapes.add(new Shape("NMU(6→3) → NMU(3→1) K=8 B=32 float64 RMSProp",
                ModelSpec.of(6, LayerSpec.of(Unit.NMU, 3), LayerSpec.of(Unit.NMU, 1)),
                config(8, 32, DataType.DOUBLE, Optimizer.RMSPROP), 500, 2, false));
        shapes.add(new Shape("NAU(40→3) → REAL_NPU(3→1) K=64 B=256 SGD",
                ModelSpec.of(40, LayerSpec.of(Unit.NAU, 3), LayerSpec.of(Unit.REAL_NPU, 1)),
                config(64, 256, DataType.FLOAT, Optimizer.SGD), 3000, 1, false));
        shapes.add(new Shape("NMU(100→8) → NAU(8→1) K=16 B=128",
                ModelSpec.of(100, LayerSpec.of(Unit.NMU, 8), LayerSpec.of(Unit.NAU, 1)),
                config(16, 128, DataType.FLOAT, Optimizer.ADAM), 2000, 1, true));
        return shapes;
    }

    static TrainingConfig config(int population, int batch, DataType type, Optimizer optimizer) {
        return TrainingConfig.defaults(1, 20_000).withPopulation(population).withBatchSize(batch).withType(type)
                .withOptimizer(optimizer);
    }

    /** Loads ND4J and builds a small trainer, so the first measured shape does not pay for the libraries. */
    public static void warmUp() {
        Shape s = new Shape("warm-up", ModelSpec.of(4, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1)),
                config(2, 8, DataType.FLOAT, Optimizer.ADAM), 100, 1, false);
        measure(s, false);
    }

    /** Builds the shape's job and measures what it holds. */
    public static Measurement measure(Shape shape, boolean resident) {
        Cost.Job estimate = Cost.job(shape.model(), shape.training(), shape.evaluationRows(), shape.extrapolationRanges());
        int n = shape.model().inputs();
        Task task = n >= 4 ? new ArithmeticTask(ArithmeticTask.Op.MUL, n, 0.25, 0.5, 1, Domain.of(1, 2))
                : new ArithmeticTask(ArithmeticTask.Op.MUL, n, 0.5, 0, 1, Domain.of(1, 2));
        List<Domain> ranges = new ArrayList<>();
        for (int i = 0; i < shape.extrapolationRanges(); i++) {
            ranges.add(Domain.of(2 + i, 6 + i));
        }
        long before = resident ? settledResident() : -1;
        TaskData data = new TaskData(task, ranges, 1, shape.evaluationRows());
        Dataset snap = Dataset.interpolation(task, shape.evaluationRows(), 2);
        TrainingConfig oneStep = shape.training().withSteps(1).withEvaluateEvery(1);
        Trainer trainer = new Trainer(shape.model(), data, oneStep);
        trainer.run(p -> { }, () -> false);
        byte[] checkpoint = trainer.checkpoint();
        long after = resident ? Pointer.physicalBytes() : -1;
        Walk walk = new Walk();
        walk.visit(trainer);
        walk.visit(snap);
        return new Measurement(shape, estimate, walk.nd4j, walk.heap, checkpoint.length,
                resident ? after - before : -1);
    }

    /** Resident memory once the garbage of earlier shapes is gone (ND4J frees its buffers when their arrays are collected). */
    private static long settledResident() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Pointer.physicalBytes();
    }

    /**
     * Walks the object graph of the service's own classes (and lambdas, collections and arrays) and
     * sums the distinct ND4J buffers and primitive arrays it reaches. Views count once, through the
     * buffer they view; ND4J's own objects are not walked except ops, whose arrays are counted.
     */
    static final class Walk {
        private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        private final IdentityHashMap<DataBuffer, Boolean> buffers = new IdentityHashMap<>();
        long nd4j;
        long heap;

        void visit(Object o) {
            if (o == null || seen.put(o, Boolean.TRUE) != null) {
                return;
            }
            Class<?> c = o.getClass();
            if (o instanceof INDArray a) {
                buffer(a.data());
            } else if (o instanceof CustomOp op) {
                op.inputArguments().forEach(this::visit);
                op.outputArguments().forEach(this::visit);
            } else if (o instanceof Op op) {
                visit(op.x());
                visit(op.y());
                visit(op.z());
            } else if (c.isArray()) {
                array(o, c.getComponentType());
            } else if (o instanceof Collection<?> items) {
                items.forEach(this::visit);
            } else if (o instanceof Map<?, ?> map) {
                map.values().forEach(this::visit);
            } else if (c.getName().startsWith("dev.nalu.") || c.isHidden()) {
                fields(o, c);
            }
        }

        private void array(Object o, Class<?> component) {
            if (!component.isPrimitive()) {
                for (Object e : (Object[]) o) {
                    visit(e);
                }
                return;
            }
            int length = java.lang.reflect.Array.getLength(o);
            int size = component == long.class || component == double.class ? 8
                    : component == int.class || component == float.class ? 4
                    : component == short.class || component == char.class ? 2 : 1;
            heap += 16 + (long) length * size;
        }

        private void fields(Object o, Class<?> c) {
            for (Class<?> k = c; k != null && (k.getName().startsWith("dev.nalu.") || k.isHidden()); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        visit(f.get(o));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        throw new IllegalStateException("cannot read " + k.getName() + "." + f.getName(), e);
                    }
                }
            }
        }

        private void buffer(DataBuffer data) {
            DataBuffer root = data;
            while (root.originalDataBuffer() != null && root.originalDataBuffer() != root) {
                root = root.originalDataBuffer();
            }
            if (buffers.put(root, Boolean.TRUE) == null) {
                nd4j += root.length() * root.getElementSize();
            }
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.3f MiB", bytes / 1048576.0);
    }

    private static double ratio(long estimate, long measured) {
        return measured == 0 ? Double.NaN : (double) estimate / measured;
    }
}
