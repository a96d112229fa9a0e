package dev.nalu.security;

import dev.nalu.PostgresTest;

/** {@link SecurityApiTest} on PostgreSQL: keys, owners and the active-job quota's row lock. */
@PostgresTest
class SecurityApiPostgresTest extends SecurityApiTest {
}
