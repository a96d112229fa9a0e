package dev.nalu.inference;

import dev.nalu.PostgresTest;

/** {@link InferenceApiTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class InferenceApiPostgresTest extends InferenceApiTest {
}
