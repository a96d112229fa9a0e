package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobRecoveryTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobRecoveryPostgresTest extends JobRecoveryTest {
}
