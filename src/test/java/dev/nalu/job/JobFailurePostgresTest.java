package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobFailureTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobFailurePostgresTest extends JobFailureTest {
}
