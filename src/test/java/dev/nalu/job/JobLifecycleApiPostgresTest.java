package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.nalu.PostgresTest;

/** {@link JobLifecycleApiTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobLifecycleApiPostgresTest extends JobLifecycleApiTest {

    @Test
    void theServiceRunsOnAFreshPostgresDatabaseMigratedByFlyway() {
        assertThat(jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).startsWith("nalu_test_");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
                .isPositive();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'scheduled_tasks'")
                .query(Long.class).single()).isEqualTo(1);
    }
}
