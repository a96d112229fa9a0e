package dev.nalu.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table: a header row and rows of cells ("|" in a cell is escaped). */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    Table row(String... cells) {
        return row(List.of(cells));
    }

    Table row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    String render() {
        StringBuilder s = new StringBuilder();
        line(s, header);
        List<String> rule = new ArrayList<>();
        header.forEach(h -> rule.add("---"));
        line(s, rule);
        rows.forEach(r -> line(s, r));
        return s.toString();
    }

    private static void line(StringBuilder s, List<String> cells) {
        s.append('|');
        for (String c : cells) {
            s.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        s.append('\n');
    }
}
