package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobRestartTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobRestartPostgresTest extends JobRestartTest {
}
