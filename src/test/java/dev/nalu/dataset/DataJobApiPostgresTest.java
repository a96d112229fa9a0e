package dev.nalu.dataset;

import dev.nalu.PostgresTest;

/** {@link DataJobApiTest} again, on a fresh PostgreSQL database (the job_datasets foreign key included). */
@PostgresTest
class DataJobApiPostgresTest extends DataJobApiTest {
}
