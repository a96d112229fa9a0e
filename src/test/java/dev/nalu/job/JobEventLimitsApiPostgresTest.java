package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobEventLimitsApiTest} again, on a fresh PostgreSQL database (the sampling query is plain SQL on both). */
@PostgresTest
class JobEventLimitsApiPostgresTest extends JobEventLimitsApiTest {
}
