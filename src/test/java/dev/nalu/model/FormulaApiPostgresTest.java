package dev.nalu.model;

import dev.nalu.PostgresTest;

/** {@link FormulaApiTest} again, on a fresh PostgreSQL database: exact constants stored and read back to the bit. */
@PostgresTest
class FormulaApiPostgresTest extends FormulaApiTest {
}
