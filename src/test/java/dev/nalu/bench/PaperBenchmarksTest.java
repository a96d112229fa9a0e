package dev.nalu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner end to end on a tiny budget (50 steps, one seed, 200 evaluation rows): every protocol
 * writes its table and its plots (the sequence protocols their benchmarks' tables), and every table is
 * well-formed Markdown that states its budget.
 */
class PaperBenchmarksTest {

    @Test
    void everyProtocolWritesItsTablesAndPlots(@TempDir Path out) throws IOException {
        PaperBenchmarks.Options options = PaperBenchmarks.parse(new String[] {"--out", out.toString(), "--steps", "50",
                "--seeds", "1", "--rows", "200"});

        int failures = PaperBenchmarks.run(options);

        assertThat(failures).isZero();
        List<String> names;
        try (Stream<Path> files = Files.list(out)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).containsExactlyInAnyOrder("identity.md", "identity.png", "trask.md", "trask.png", "madsen.md",
                "madsen.png", "primer.md", "primer-add.png", "primer-sub.png", "primer-mul.png", "primer-div.png",
                "recurrent-run.md", "number-words-run.md", "counting-run.md");
        for (String name : names) {
            Path file = out.resolve(name);
            if (name.endsWith(".png")) {
                BufferedImage image = ImageIO.read(file.toFile());
                assertThat(image).as(name).isNotNull();
                assertThat(image.getWidth()).as(name).isEqualTo(1000);
            } else {
                String text = Files.readString(file);
                assertThat(text).as(name).startsWith("# ").contains("**Budget**", "Produced by `bench/papers.sh --out",
                        "--steps 50 --seeds 1 --rows 200: a trial run, not a result", "ublished");
                assertThat(tables(text)).as(name).isNotEmpty();
            }
        }
        String madsen = Files.readString(out.resolve("madsen.md"));
        assertThat(madsen).contains("| NMU | NAU(100→2) → NMU(2→1) | 1 |", "100% at 1.8e4", "## Goals for auto");
        String primer = Files.readString(out.resolve("primer.md"));
        assertThat(primer).contains("not run: b's range holds 0");
        // the sequence protocols: each benchmark main's command, capped, and its table
        assertThat(Files.readString(out.resolve("recurrent-run.md"))).contains(
                "## `java … dev.nalu.bench.RecurrentBenchmark --ops mul --seeds 1 --steps 50 --range 2:6 --rows 200`",
                "seeds succeeded at length 10 over [2, 6] |",
                "| auto | NAU cell(10→2) → NMU(2→1) |", "| lstm | LSTM cell(10→2) → DENSE(2→1) |");
        assertThat(Files.readString(out.resolve("number-words-run.md"))).contains(
                "--encoder mac --heads nau --hidden 1 --members 16 --steps 50 --lr 0.03 --seeds 1 --first 0",
                "| MAC cell(29→1) → NAU(1→1) | 0 |", "| embedding(29→16) → LSTM cell(16→10) → NALU(10→1) | 1 |");
        assertThat(Files.readString(out.resolve("counting-run.md"))).contains("| NAU cell(4→4) → NAU(4→4) | 1 |",
                "running sum over [1, 2]", "| NAU cell(1→2) → NAU(2→1) | 1 |", "running product over [0.8, 1.25]",
                "| NMU cell(1→2) → NMU(2→1) | 1 |", "length 10000");
    }

    /** Every table: consecutive lines starting with '|', with as many cells in every row as in its header. */
    private static List<Integer> tables(String markdown) {
        List<Integer> sizes = new ArrayList<>();
        int columns = -1;
        int rows = 0;
        for (String line : (markdown + "\n").split("\n", -1)) {
            if (line.startsWith("|")) {
                int cells = line.replace("\\|", "").split("\\|", -1).length - 2;
                if (columns < 0) {
                    columns = cells;
                } else {
                    assertThat(cells).as("cells in: %s", line).isEqualTo(columns);
                }
                if (rows == 1) {
                    assertThat(line).as("the rule under the header").matches("\\|( --- \\|)+");
                }
                rows++;
            } else if (columns >= 0) {
                assertThat(rows).as("a table has a header, a rule and a row").isGreaterThanOrEqualTo(3);
                sizes.add(rows);
                columns = -1;
                rows = 0;
            }
        }
        return sizes;
    }
}
