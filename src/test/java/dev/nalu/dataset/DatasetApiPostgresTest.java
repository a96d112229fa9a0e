package dev.nalu.dataset;

import dev.nalu.PostgresTest;

/** {@link DatasetApiTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class DatasetApiPostgresTest extends DatasetApiTest {
}
