package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobEventsApiTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobEventsApiPostgresTest extends JobEventsApiTest {
}
