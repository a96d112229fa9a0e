package dev.nalu.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingResult;
import dev.nalu.compute.Unit;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.AutoModel;

/**
 * Madsen and Johansen's arithmetic task (docs/papers.md §1) with the paper's model, NAU(100→2)
 * followed by NMU(2→1) for × and a², NAU(2→1) for + and −, trained with plain Adam and with Adam
 * split along the inputs' mean ({@code TrainingConfig.splitInputMean}), same seeds, same budget.
 *
 * <p>For each op, seed and variant it prints how many of the K members meet the ε-criterion on
 * U[2,6] at the end, whether the member selected on interpolation validation does, and the first
 * measured step at which each member met it (the median over members that did).
 *
 * <p>Usage: {@code ArithmeticTaskBenchmark [--ops mul,square] [--seeds N] [--steps N] [--population K]
 * [--lr X] [--batch N] [--variants plain,split] [--auto]}; {@code --auto} trains the model
 * {@code "model": "auto"} picks instead of the paper's.
 */
public final class ArithmeticTaskBenchmark {

    private ArithmeticTaskBenchmark() {
    }

    record Options(List<ArithmeticTask.Op> ops, int seeds, long steps, int population, double learningRate,
                   int batch, List<Boolean> variants, boolean auto) {
    }

    public static void main(String[] args) {
        Options opt = parse(args);
        System.out.println(BenchmarkEnvironment.line());
        TrainingConfig defaults = TrainingConfig.defaults(1, 1);
        System.out.printf(Locale.ROOT, "arithmetic task n=100, train U[1,2], test U[2,6]; K=%d, %d steps, Adam lr %s "
                        + "(decaying to 1%% from %.0f%% of the steps), batch %d, float32, regulariser ramp %.0f%%-%.0f%%; seeds 1..%d%n",
                opt.population(), opt.steps(), opt.learningRate(), defaults.decayStart() * 100, opt.batch(),
                defaults.regulariserStart() * 100, defaults.regulariserEnd() * 100, opt.seeds());
        System.out.println();
        System.out.printf(Locale.ROOT, "%-4s  %-6s  %4s  %-22s  %-9s  %-30s  %8s%n", "op", "adam", "seed", "model",
                "selected", "members meeting (median step)", "seconds");
        for (ArithmeticTask.Op op : opt.ops()) {
            for (boolean split : opt.variants()) {
                int selectedMet = 0;
                for (int seed = 1; seed <= opt.seeds(); seed++) {
                    selectedMet += run(op, seed, split, opt) ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "%-4s  %-6s  selected member meets the criterion on %d of %d seeds%n",
                        op.symbol(), split ? "split" : "plain", selectedMet, opt.seeds());
            }
        }
        System.out.println(BenchmarkEnvironment.endLine());
    }

    /** One job; prints its line and returns whether the selected member meets the criterion. */
    private static boolean run(ArithmeticTask.Op op, long seed, boolean split, Options opt) {
        ArithmeticTask task = new ArithmeticTask(op, seed);
        TaskData data = new TaskData(task, List.of(ArithmeticTask.DEFAULT_EXTRAPOLATION_DOMAIN), seed);
        ModelSpec spec = opt.auto() ? AutoModel.choose(task).spec() : paperModel(op, task.inputSize());
        TrainingConfig config = TrainingConfig.defaults(seed, opt.steps()).withPopulation(opt.population())
                .withLearningRate(opt.learningRate()).withBatchSize(opt.batch())
                .withEvaluateEvery((int) Math.min(2500, opt.steps())).withSplitInputMean(split);
        long start = System.nanoTime();
        TrainingResult r = new Trainer(spec, data, config).run(p -> { }, () -> false);
        double seconds = (System.nanoTime() - start) / 1e9;
        double threshold = data.extrapolation().get(0).threshold();
        int meeting = 0;
        List<Double> firstSteps = new ArrayList<>();
        for (int k = 0; k < opt.population(); k++) {
            meeting += r.extrapolationMse()[0][k] < threshold ? 1 : 0;
            if (r.firstSuccessStep()[k] >= 0) {
                firstSteps.add((double) r.firstSuccessStep()[k]);
            }
        }
        boolean selected = r.extrapolationMse()[0][r.selected()] < threshold;
        String median = firstSteps.isEmpty() ? "-"
                : String.format(Locale.ROOT, "%.0f", StepBenchmark.median(firstSteps.stream().mapToDouble(d -> d).toArray()));
        System.out.printf(Locale.ROOT, "%-4s  %-6s  %4d  %-22s  %-9s  %-30s  %8.1f%n", op.symbol(),
                split ? "split" : "plain", seed, spec.describe(), selected ? "met" : "missed",
                meeting + "/" + opt.population() + " (" + median + ")", seconds);
        return selected;
    }

    /** The paper's two layers: NAU → NAU for + and −, NAU → NMU for ×, a², and the rest. */
    static ModelSpec paperModel(ArithmeticTask.Op op, int inputs) {
        boolean additive = op == ArithmeticTask.Op.ADD || op == ArithmeticTask.Op.SUB;
        return ModelSpec.of(inputs, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(additive ? Unit.NAU : Unit.NMU, 1));
    }

    static Options parse(String[] args) {
        List<ArithmeticTask.Op> ops = List.of(ArithmeticTask.Op.MUL);
        int seeds = 3;
        long steps = 100_000;
        int population = 16;
        double lr = 1e-3;
        int batch = 128;
        List<Boolean> variants = List.of(false, true);
        boolean auto = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--auto")) {
                auto = true;
                continue;
            }
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                usage(a + " needs a value");
            }
            switch (a) {
                case "--ops" -> ops = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(ArithmeticTask.Op::parse).toList();
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--steps" -> steps = Long.parseLong(v);
                case "--population" -> population = Integer.parseInt(v);
                case "--lr" -> lr = Double.parseDouble(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--variants" -> variants = Arrays.stream(v.split(",")).map(String::trim)
                        .map(s -> switch (s) {
                            case "plain" -> false;
                            case "split" -> true;
                            default -> {
                                usage("unknown variant " + s);
                                yield false;
                            }
                        }).toList();
                default -> usage("unknown option " + a);
            }
            i++;
        }
        return new Options(ops, seeds, steps, population, lr, batch, variants, auto);
    }

    private static void usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println("usage: ArithmeticTaskBenchmark [--ops mul,square] [--seeds N] [--steps N] [--population K] "
                + "[--lr X] [--batch N] [--variants plain,split] [--auto]");
        System.exit(2);
    }
}
