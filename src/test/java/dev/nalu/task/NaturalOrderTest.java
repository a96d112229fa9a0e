package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {

    @Test
    void comparesRunsOfDigitsAsNumbers() {
        List<String> names = new ArrayList<>(List.of("x10", "b", "x2", "x1", "a", "x01", "x_2", "y", "x100"));
        names.sort(new NaturalOrder());
        assertThat(names).containsExactly("a", "b", "x01", "x1", "x2", "x10", "x100", "x_2", "y");
    }
}
