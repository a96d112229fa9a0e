package dev.nalu.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.nalu.ApiTestSupport;

/**
 * Two writers store the first models of a new name at once, each inside a transaction of its own, as
 * two finishing jobs do under their leases: both succeed, with versions 1 and 2. On PostgreSQL the
 * loser's failed INSERT of the name used to abort its whole transaction, and its job ended FAILED
 * ("current transaction is aborted").
 */
class ModelVersionRaceTest extends ApiTestSupport {
    @Autowired
    private ModelStore store;
    @Autowired
    private TransactionTemplate tx;

    @Test
    void twoWritersOfANewNameBothGetAVersion() throws Exception {
        String name = "race-" + System.nanoTime();
        CountDownLatch firstInserted = new CountDownLatch(1);
        CompletableFuture<ModelStore.Created> first = CompletableFuture.supplyAsync(() -> tx.execute(status -> {
            ModelStore.Created created = insert(name);
            firstInserted.countDown();
            sleep(500); // the second writer now finds no committed row and inserts the name too
            return created;
        }));
        assertThat(firstInserted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ModelStore.Created> second = CompletableFuture.supplyAsync(() -> tx.execute(status -> insert(name)));

        List<Integer> versions = List.of(first.get(60, TimeUnit.SECONDS).version(), second.get(60, TimeUnit.SECONDS).version());
        assertThat(versions).containsExactly(1, 2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM models WHERE name = ?").param(name).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT last_version FROM model_names WHERE name = ?").param(name).query(Integer.class).single())
                .isEqualTo(2);
    }

    private ModelStore.Created insert(String name) {
        return store.insert(name, null, "NAU(2→1)", "y = a + b", true, "{}", List.of());
    }
}
