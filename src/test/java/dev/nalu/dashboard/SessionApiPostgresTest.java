package dev.nalu.dashboard;

import dev.nalu.PostgresTest;

/** {@link SessionApiTest} on PostgreSQL: the sessions' tables (V5) and Spring Session JDBC's statements there. */
@PostgresTest
class SessionApiPostgresTest extends SessionApiTest {
}
