package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobTakeoverTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobTakeoverPostgresTest extends JobTakeoverTest {
}
