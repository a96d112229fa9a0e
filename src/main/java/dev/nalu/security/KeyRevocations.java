package dev.nalu.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells every replica at once that a key was revoked, so each may keep the keys it has checked in
 * memory (nalu.security.key-cache-ttl) and still refuse a revoked one on its next request. On
 * PostgreSQL a revocation is a NOTIFY on the channel {@value #CHANNEL} with the key's id, and each
 * replica LISTENs on one connection of its own; when that connection breaks, the replica forgets every
 * key it trusted (a notification may have been missed) and listens again. On H2, an embedded database of
 * one process, the replica that revokes a key is the only one, and it forgets the key itself.
 */
@Component
final class KeyRevocations implements SmartLifecycle {
    static final String CHANNEL = "nalu_key_revoked";
    private static final Logger log = LoggerFactory.getLogger(KeyRevocations.class);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final boolean postgres;
    private volatile LongConsumer revoked = id -> { };
    private volatile Runnable missed = () -> { };
    private volatile Thread listener;
    private volatile boolean running;

    KeyRevocations(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.postgres = isPostgres(dataSource);
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isWrapperFor(PGConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    /** What to do when a key is revoked anywhere ({@code revoked}), or when notifications may have been lost ({@code missed}). */
    void onRevoked(LongConsumer revoked, Runnable missed) {
        this.revoked = revoked;
        this.missed = missed;
    }

    /** Tells the other replicas; call after the revocation is written. */
    void announce(long keyId) {
        if (postgres) {
            jdbc.sql("SELECT pg_notify(?, ?)").params(CHANNEL, Long.toString(keyId)).query((rs, i) -> 1).list();
        }
    }

    @Override
    public void start() {
        running = true;
        if (postgres) {
            listener = new Thread(this::listen, "nalu-key-revocations");
            listener.setDaemon(true);
            listener.start();
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                missed.run(); // anything revoked while no one listened
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            revoked.accept(Long.parseLong(n.getParameter()));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("listening for key revocations failed ({}); forgetting every trusted key and listening again",
                            e.toString());
                    missed.run();
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = listener;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
