package dev.nalu.model;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.nalu.security.Callers;

/** Models, their per-name versions, tags and aliases, in plain SQL. */
@Repository
public class ModelStore {
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    /** A savepoint inside the caller's transaction (a job stores its model under its lease's transaction). */
    private final TransactionTemplate savepoint;

    public ModelStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.savepoint = new TransactionTemplate(tx.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** A row of the models table; {@code document} is the JSON without id, version, tags and aliases. */
    public record Row(long id, String name, int version, Long sourceJobId, String architecture, String formula,
                      boolean exact, String document, Instant createdAt) {
    }

    /** The id and version a new model got. */
    public record Created(long id, int version, Instant createdAt) {
    }

    /**
     * Inserts a model under the next version of its name (versions never repeat, even after deletes). Its
     * owner is the caller of the request (an import), or else the owner of the job that trained it.
     */
    public Created insert(String name, Long sourceJobId, String architecture, String formula, boolean exact,
                          String document, Collection<String> tags) {
        return tx.execute(status -> {
            int version = nextVersion(name);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            String owner = Callers.currentId();
            if (owner == null && sourceJobId != null) {
                owner = jdbc.sql("SELECT owner FROM jobs WHERE id = ?").param(sourceJobId)
                        .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o).orElse(null);
            }
            KeyHolder keys = new GeneratedKeyHolder();
            jdbc.sql("""
                    INSERT INTO models (name, version, source_job_id, architecture, formula, exact, document, created_at, owner)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(name, version, sourceJobId, architecture, formula, exact, document, now, owner)
                    .update(keys, "id");
            long id = keys.getKey().longValue();
            for (String tag : tags) {
                jdbc.sql("INSERT INTO model_tags (model_id, tag) VALUES (?, ?)").params(id, tag).update();
            }
            return new Created(id, version, now.toInstant());
        });
    }

    /**
     * The next version of a name. Two writers may both find a new name absent and race to insert it;
     * the loser's INSERT fails, and on PostgreSQL a failed statement aborts its whole transaction, which
     * is the caller's (a finishing job's lease). The INSERT therefore runs under a savepoint: the loser
     * rolls back to it and takes the next version of the row the winner made.
     */
    private int nextVersion(String name) {
        for (int attempt = 0; ; attempt++) {
            int n = jdbc.sql("UPDATE model_names SET last_version = last_version + 1 WHERE name = ?").param(name).update();
            if (n > 0) {
                return jdbc.sql("SELECT last_version FROM model_names WHERE name = ?").param(name).query(Integer.class).single();
            }
            try {
                savepoint.executeWithoutResult(status ->
                        jdbc.sql("INSERT INTO model_names (name, last_version) VALUES (?, 1)").param(name).update());
                return 1;
            } catch (DuplicateKeyException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    public Optional<Row> find(long id) {
        return jdbc.sql("SELECT * FROM models WHERE id = ?").param(id).query(ModelStore::row).optional();
    }

    /** Who made the model; empty if no one is recorded or it does not exist. */
    public Optional<String> owner(long id) {
        return jdbc.sql("SELECT owner FROM models WHERE id = ?").param(id)
                .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o);
    }

    public boolean exists(long id) {
        return jdbc.sql("SELECT COUNT(*) FROM models WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    public List<Row> list(String name, String tag, int page, int size) {
        var spec = jdbc.sql("SELECT * FROM models m" + where(name, tag) + " ORDER BY m.id DESC LIMIT :limit OFFSET :offset")
                .param("limit", size).param("offset", (long) page * size);
        return filter(spec, name, tag).query(ModelStore::row).list();
    }

    public long count(String name, String tag) {
        return filter(jdbc.sql("SELECT COUNT(*) FROM models m" + where(name, tag)), name, tag).query(Long.class).single();
    }

    private static String where(String name, String tag) {
        StringBuilder w = new StringBuilder();
        if (name != null) {
            w.append(" WHERE m.name = :name");
        }
        if (tag != null) {
            w.append(name == null ? " WHERE" : " AND")
                    .append(" EXISTS (SELECT 1 FROM model_tags t WHERE t.model_id = m.id AND t.tag = :tag)");
        }
        return w.toString();
    }

    private static JdbcClient.StatementSpec filter(JdbcClient.StatementSpec spec, String name, String tag) {
        if (name != null) {
            spec = spec.param("name", name);
        }
        if (tag != null) {
            spec = spec.param("tag", tag);
        }
        return spec;
    }

    public boolean delete(long id) {
        return jdbc.sql("DELETE FROM models WHERE id = ?").param(id).update() == 1;
    }

    public List<String> tags(long id) {
        return jdbc.sql("SELECT tag FROM model_tags WHERE model_id = ? ORDER BY tag").param(id).query(String.class).list();
    }

    public List<String> aliases(long id) {
        return jdbc.sql("SELECT alias FROM model_aliases WHERE model_id = ? ORDER BY alias").param(id)
                .query(String.class).list();
    }

    /** Replaces the model's tags. */
    public void setTags(long id, Collection<String> tags) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM model_tags WHERE model_id = ?").param(id).update();
            for (String tag : tags) {
                jdbc.sql("INSERT INTO model_tags (model_id, tag) VALUES (?, ?)").params(id, tag).update();
            }
        });
    }

    /** Replaces the model's aliases; an alias held by another model moves to this one. */
    public void setAliases(long id, Collection<String> aliases) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM model_aliases WHERE model_id = ?").param(id).update();
            for (String alias : aliases) {
                jdbc.sql("DELETE FROM model_aliases WHERE alias = ?").param(alias).update();
                jdbc.sql("INSERT INTO model_aliases (alias, model_id) VALUES (?, ?)").params(alias, id).update();
            }
        });
    }

    /** The newest version of a name. */
    public Optional<Long> newestNamed(String name) {
        return jdbc.sql("SELECT id FROM models WHERE name = ? ORDER BY version DESC LIMIT 1").param(name)
                .query(Long.class).optional();
    }

    /** Version {@code version} of a name. */
    public Optional<Long> byVersion(String name, int version) {
        return jdbc.sql("SELECT id FROM models WHERE name = ? AND version = ?").params(name, version)
                .query(Long.class).optional();
    }

    /** The newest {@code limit} versions of a name, newest first. */
    public List<Integer> versions(String name, int limit) {
        return jdbc.sql("SELECT version FROM models WHERE name = ? ORDER BY version DESC LIMIT ?").params(name, limit)
                .query(Integer.class).list();
    }

    /** The model an alias points at. */
    public Optional<Long> byAlias(String alias) {
        return jdbc.sql("SELECT model_id FROM model_aliases WHERE alias = ?").param(alias).query(Long.class).optional();
    }

    /** The newest model carrying a tag. */
    public Optional<Long> newestWithTag(String tag) {
        return jdbc.sql("SELECT model_id FROM model_tags WHERE tag = ? ORDER BY model_id DESC LIMIT 1").param(tag).query(Long.class).optional();
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        long job = rs.getLong("source_job_id");
        Long sourceJob = rs.wasNull() ? null : job;
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getInt("version"), sourceJob,
                rs.getString("architecture"), rs.getString("formula"), rs.getBoolean("exact"),
                rs.getString("document"), created.toInstant());
    }
}
