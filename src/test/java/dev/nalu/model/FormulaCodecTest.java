package dev.nalu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.evaluation.ExactConstants;
import dev.nalu.evaluation.Formula;

/**
 * FormulaCodec with exact constants: write → JSON text → read gives the same formula (the same record, the same
 * bits), for every exact form of the Feynman constants and plain floats; an exact constant whose value, fraction,
 * power of π or root is not allowed is refused naming where; complexity comes from the tree.
 */
class FormulaCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Formula product(Formula constant) {
        return new Formula.Product(List.of(1.0, 1.0, -2.0), List.of(constant, new Formula.Input(0), new Formula.Input(1)), false);
    }

    private static Formula roundTrip(Formula f) throws Exception {
        String text = JSON.writeValueAsString(FormulaCodec.write(f));
        return FormulaCodec.read(JSON.readTree(text), 2);
    }

    @Test
    void exactConstantsAndFloatsRoundTripToTheBit() throws Exception {
        double[] values = {0.5, 1.5, 1 / (4 * Math.PI), 1 / (6 * Math.PI), 8 * Math.PI / 3, 1 / (2 * Math.PI), 4 * Math.PI,
                Math.sqrt(2), -0.6, Math.PI * Math.PI / 6, 0};
        for (double v : values) {
            Formula.Constant c = ExactConstants.candidates(v, 1e-9).get(0);
            Formula f = product(c);
            Formula back = roundTrip(f);
            assertThat(back).isEqualTo(f);
            Formula.Constant read = (Formula.Constant) ((Formula.Product) back).factors().get(0);
            assertThat(read.exact()).isEqualTo(c.exact());
            assertThat(Double.doubleToRawLongBits(read.value())).isEqualTo(Double.doubleToRawLongBits(c.value()));
            assertThat(FormulaCodec.write(back)).isEqualTo(FormulaCodec.write(f));
        }
        Formula plain = product(new Formula.Constant(Math.nextUp(0.41372915)));
        assertThat(roundTrip(plain)).isEqualTo(plain);
        assertThat(FormulaCodec.write(plain).at("/product/factors/0").has("constant")).isTrue();
    }

    private static JsonNode tree(String exact) throws Exception {
        return JSON.readTree("{\"product\": {\"exponents\": [1.0, 1.0], \"absolute\": false, \"factors\": [{\"exactConstant\": "
                + exact + "}, {\"input\": 0}]}}");
    }

    @Test
    void anExactConstantMustBeWhatItSays() throws Exception {
        String at = "formula.tree.product.factors[0].exactConstant";
        double third = 1.0 / 3.0;
        assertThat(FormulaCodec.read(tree("{\"numerator\": 1, \"denominator\": 3, \"piPower\": 0, \"root\": 1, \"value\": "
                + third + "}"), 1).complexity()).isEqualTo(3);
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 1, \"denominator\": 3, \"piPower\": 0, \"root\": 1, "
                + "\"value\": 0.3333}"), 1)).hasMessageStartingWith(at + ".value must be the float64 of 1/3");
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 2, \"denominator\": 6, \"piPower\": 0, \"root\": 1, "
                + "\"value\": " + third + "}"), 1)).hasMessageContaining("lowest terms");
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 1, \"denominator\": 3, \"piPower\": 7, \"root\": 1, "
                + "\"value\": 1}"), 1)).hasMessageContaining("power of π");
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 1, \"denominator\": 3, \"piPower\": 0, \"root\": 9, "
                + "\"value\": 1}"), 1)).hasMessageContaining("root");
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 1.5, \"denominator\": 3, \"piPower\": 0, \"root\": 1, "
                + "\"value\": 1}"), 1)).hasMessageStartingWith(at + ".numerator must be an integer");
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 1, \"denominator\": 99999999999999999999, "
                + "\"piPower\": 0, \"root\": 1, \"value\": 1}"), 1)).hasMessageStartingWith(at + ".denominator must be an integer");
        assertThatThrownBy(() -> FormulaCodec.read(tree("{\"numerator\": 1, \"denominator\": 3, \"piPower\": 0, \"root\": 1}"), 1))
                .hasMessageStartingWith(at + ".value must be a finite number");
        assertThatThrownBy(() -> FormulaCodec.read(tree("3"), 1)).hasMessageStartingWith(at + " must be");
    }

    /** A document's complexity is the tree's, whatever the document says. */
    @Test
    void theDocumentsComplexityIsComputedFromItsTree() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree("{\"text\": \"y = a\", \"exact\": false, \"complexity\": 99}");
        doc.set("tree", FormulaCodec.write(product(new Formula.Constant(2))));
        ModelDocument.FormulaDocument f = JSON.treeToValue(doc, ModelDocument.FormulaDocument.class);
        assertThat(f.complexity()).isEqualTo(4);
        assertThat(JSON.treeToValue(JSON.readTree("{\"exact\": false, \"complexity\": 99}"), ModelDocument.FormulaDocument.class)
                .complexity()).isNull();
        assertThat(FormulaCodec.complexity(JSON.readTree("{\"nonsense\": 1}"))).isNull();
    }
}
