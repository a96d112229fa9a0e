package dev.nalu.model;

import dev.nalu.PostgresTest;

/** {@link ModelApiTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class ModelApiPostgresTest extends ModelApiTest {
}
