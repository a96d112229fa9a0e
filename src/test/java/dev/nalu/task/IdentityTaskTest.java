package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityTaskTest {

    private final IdentityTask task = new IdentityTask(IdentityTask.TRASK_TRAIN_DOMAIN);

    @Test
    void outputsItsOneInput() {
        assertThat(task.variables()).containsExactly("x");
        assertThat(task.target(new double[] {7, -3.5}, 1)).isEqualTo(-3.5);
        assertThat(task.trainDomain(0)).isEqualTo(Domain.of(-5, 5));
    }

    @Test
    void perturbedTargetScalesTheOneWeight() {
        assertThat(task.perturbedTarget(new double[] {10}, 0, 0.25)).isEqualTo(7.5);
        assertThat(task.perturbedTarget(new double[] {10}, 0, 0)).isEqualTo(10);
    }
}
