package dev.nalu.dataset;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Datasets in the service's database (V6__datasets.sql): one row of metadata each, and the values in chunks. The
 * same SQL runs on H2 and PostgreSQL.
 */
@Repository
@EnableConfigurationProperties(DatasetProperties.class)
public class DatasetStore {
    private final JdbcClient jdbc;

    public DatasetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A dataset's metadata: {@code columns} is its JSON (names and statistics). */
    public record Row(long id, String name, String owner, String columns, long rows, int chunks, String contentHash,
                      Instant createdAt) {
    }

    /** Inserts a dataset's row before its chunks (they refer to it); {@link #complete} fills in the rest. */
    long begin(String name, String owner) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO datasets (name, owner, columns, row_count, chunk_count, content_hash, created_at) "
                        + "VALUES (?, ?, '[]', 0, 0, '', ?)")
                .params(name, owner, OffsetDateTime.now(ZoneOffset.UTC)).update(key, "id");
        return key.getKey().longValue();
    }

    void chunk(long id, int seq, byte[] data) {
        jdbc.sql("INSERT INTO dataset_chunks (dataset_id, seq, data) VALUES (?, ?, ?)").params(id, seq, data).update();
    }

    void complete(long id, String name, String columns, long rows, int chunks, String hash) {
        jdbc.sql("UPDATE datasets SET name = ?, columns = ?, row_count = ?, chunk_count = ?, content_hash = ? WHERE id = ?")
                .params(name, columns, rows, chunks, hash, id).update();
    }

    public Optional<Row> find(long id) {
        return jdbc.sql("SELECT * FROM datasets WHERE id = ?").param(id).query(DatasetStore::row).optional();
    }

    public List<Row> list(int page, int size) {
        return jdbc.sql("SELECT * FROM datasets ORDER BY id DESC LIMIT ? OFFSET ?").params(size, (long) page * size)
                .query(DatasetStore::row).list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM datasets").query(Long.class).single();
    }

    /** One chunk's bytes (row-major little-endian float64). */
    public byte[] chunk(long id, int seq) {
        return jdbc.sql("SELECT data FROM dataset_chunks WHERE dataset_id = ? AND seq = ?").params(id, seq)
                .query(byte[].class).single();
    }

    /** Jobs that are queued or running on the dataset (its rows in job_datasets). */
    public List<Long> usedBy(long id) {
        return jdbc.sql("SELECT job_id FROM job_datasets WHERE dataset_id = ? ORDER BY job_id").param(id)
                .query(Long.class).list();
    }

    public boolean delete(long id) {
        return jdbc.sql("DELETE FROM datasets WHERE id = ?").param(id).update() > 0;
    }

    private static Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getString("owner"), rs.getString("columns"),
                rs.getLong("row_count"), rs.getInt("chunk_count"), rs.getString("content_hash"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
