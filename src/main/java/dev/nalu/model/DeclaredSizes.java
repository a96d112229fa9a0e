package dev.nalu.model;

import java.util.ArrayList;
import java.util.List;

import dev.nalu.compute.LayerSpec;
import dev.nalu.cost.Budgets;

/**
 * The sizes an import document declares, read before anything is built from them: its task's inputs
 * (an arithmetic task names each of them), its architecture's inputs and layers (the import builds a
 * reference model of them), and the weight values it carries. Whatever is missing or malformed counts
 * as nothing here; the import's validation refuses it afterwards.
 */
record DeclaredSizes(long taskInputs, long modelInputs, List<LayerSpec> layers, long weightValues) {

    static DeclaredSizes of(ModelDocument doc) {
        TaskDefinition task = doc.task();
        long taskInputs = task == null ? 0
                : task.inputSize() != null ? task.inputSize() : task.variables() != null ? task.variables().size() : 0;
        ModelDocument.Architecture a = doc.architecture();
        List<LayerSpec> layers = new ArrayList<>();
        if (a != null && a.layers() != null) {
            for (LayerDefinition l : a.layers()) {
                try {
                    layers.add(l.toSpec());
                } catch (RuntimeException e) {
                    // not a layer: validation names it
                }
            }
        }
        long values = 0;
        if (doc.weights() != null) {
            for (ModelDocument.LayerWeightsDocument w : doc.weights()) {
                if (w != null && w.tensors() != null) {
                    for (ModelDocument.TensorDocument t : w.tensors()) {
                        values += t == null || t.values() == null ? 0 : t.values().length;
                    }
                }
            }
        }
        return new DeclaredSizes(taskInputs, a == null ? 0 : a.inputs(), layers, values);
    }

    /** 422 when importing this document would hold more than the import budget. */
    void check(Budgets budgets) {
        budgets.checkImport(taskInputs, modelInputs, layers, weightValues);
    }
}
