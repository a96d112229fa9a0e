package dev.nalu;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Fresh PostgreSQL databases for tests: {@code CREATE DATABASE nalu_test_<name>_<random>} on the
 * server at {@code NALU_TEST_POSTGRES_HOST} (default 127.0.0.1:5432) as {@code NALU_TEST_POSTGRES_USER}
 * (default postgres, trust authentication), each dropped when the test JVM exits.
 */
public final class PostgresDatabases {
    public static final String HOST = setting("NALU_TEST_POSTGRES_HOST", "127.0.0.1:5432");
    public static final String USER = setting("NALU_TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = setting("NALU_TEST_POSTGRES_PASSWORD", "");

    private static final List<String> CREATED = new ArrayList<>();
    private static Boolean reachable;
    private static String unreachableReason;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresDatabases::dropAll, "drop-test-databases"));
    }

    private PostgresDatabases() {
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + "/" + database;
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(url("postgres"), USER, PASSWORD);
    }

    /** Whether the server answers; the reason it does not, otherwise (asked once per JVM). */
    public static synchronized String unreachable() {
        if (reachable == null) {
            try (Connection c = admin()) {
                reachable = c.isValid(5);
            } catch (SQLException e) {
                reachable = false;
                unreachableReason = e.getMessage();
            }
        }
        return reachable ? null : "PostgreSQL at " + HOST + " (user " + USER + ") is unreachable: " + unreachableReason;
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static synchronized String create(String name) {
        String database = ("nalu_test_" + name + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + database + " on " + HOST, e);
        }
        CREATED.add(database);
        return url(database);
    }

    private static synchronized void dropAll() {
        if (CREATED.isEmpty()) {
            return;
        }
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String database : CREATED) {
                // FORCE (PostgreSQL 13+): Spring contexts still open at exit may hold connections
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases " + CREATED + ": " + e.getMessage());
        }
    }
}
