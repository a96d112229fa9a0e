package dev.nalu.job;

import dev.nalu.PostgresTest;

/** {@link JobSubmissionApiTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class JobSubmissionApiPostgresTest extends JobSubmissionApiTest {
}
