package dev.nalu.model;

import dev.nalu.PostgresTest;

/** {@link ModelVersionRaceTest} again, on a fresh PostgreSQL database. */
@PostgresTest
class ModelVersionRacePostgresTest extends ModelVersionRaceTest {
}
