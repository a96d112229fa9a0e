package dev.nalu.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;

import dev.nalu.api.ApiException;

/**
 * API keys: made at random (256 bits), shown once, stored only as their SHA-256 with a short public
 * prefix to find the row. A key is "nalu_" and 43 base64url characters. SHA-256 (not a slow password
 * hash) is right for secrets of 256 random bits: nobody can guess one, and checking a key costs
 * a microsecond instead of the tens of milliseconds bcrypt would add to every request.
 *
 * <p>Every replica reads the same table and keeps a key it has checked for nalu.security.key-cache-ttl;
 * a revocation is announced to every replica ({@link KeyRevocations}), which forget the key at once, so
 * a revoked key is refused everywhere on its next request.
 */
@Service
public class ApiKeys {
    static final String PREFIX = "nalu_";
    static final int LOOKUP_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final SecurityProperties properties;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private final KeyRevocations revocations;

    ApiKeys(JdbcClient jdbc, SecurityProperties properties, KeyRevocations revocations) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.revocations = revocations;
        revocations.onRevoked(this::forget, cache::clear);
    }

    private void forget(long keyId) {
        cache.values().removeIf(c -> keyId == c.caller().keyId());
    }

    /** A key as listed: never its secret. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "Key", requiredProperties = {"id", "name", "role", "prefix", "createdAt"})
    public record Key(long id, String name, Role role, String prefix, Instant createdAt, String createdBy,
                      Instant revokedAt, Integer maxActiveJobs, Long maxMemberSteps, Integer requestsPerSecond) {
    }

    /** A new key and its secret, which is shown this once. */
    public record Created(Key key, String secret) {
    }

    private record Cached(Caller caller, long expiresAtNanos) {
    }

    /** True if {@code token} could be a key: visible ASCII, nothing else. */
    public static boolean wellFormed(String token) {
        return !token.isEmpty() && token.length() <= 512 && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    public static String newSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lookup(String token) {
        return token.substring(0, Math.min(LOOKUP_LENGTH, token.length()));
    }

    public Created create(String name, Role role, Integer maxActiveJobs, Long maxMemberSteps, Integer requestsPerSecond,
                          String createdBy) {
        return insert(newSecret(), name, role, maxActiveJobs, maxMemberSteps, requestsPerSecond, createdBy);
    }

    private Created insert(String secret, String name, Role role, Integer maxActiveJobs, Long maxMemberSteps,
                           Integer requestsPerSecond, String createdBy) {
        KeyHolder ids = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO api_keys (name, role, prefix, hash, created_at, created_by, max_active_jobs, max_member_steps,
                                      requests_per_second)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(name, role.name(), lookup(secret), hash(secret), now(), createdBy, maxActiveJobs, maxMemberSteps,
                        requestsPerSecond)
                .update(ids, "id");
        return new Created(find(ids.getKey().longValue()).orElseThrow(), secret);
    }

    /**
     * Makes sure {@code secret} is a live admin key (nalu.security.bootstrap-admin-key): inserted if no
     * key has that hash; a revoked one stays revoked (the operator revoked it on purpose). Returns true
     * if it was inserted.
     */
    public boolean ensureAdmin(String secret, String name) {
        if (jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE hash = ?").param(hash(secret)).query(Long.class).single() > 0) {
            return false;
        }
        insert(secret, name, Role.ADMIN, null, null, null, "bootstrap");
        return true;
    }

    public Optional<Key> find(long id) {
        return jdbc.sql("SELECT * FROM api_keys WHERE id = ?").param(id).query(ApiKeys::key).optional();
    }

    public List<Key> list(int page, int size) {
        return jdbc.sql("SELECT * FROM api_keys ORDER BY id LIMIT ? OFFSET ?").params(size, (long) page * size)
                .query(ApiKeys::key).list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys").query(Long.class).single();
    }

    /** Revokes the key (idempotent); 404 if there is no such key. */
    public void revoke(long id) {
        Key key = find(id).orElseThrow(() -> ApiException.notFound("key", id));
        if (key.revokedAt() == null) {
            jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").params(now(), id).update();
        }
        forget(id);
        revocations.announce(id);
    }

    /** The caller a bearer token stands for, if it is a live key. */
    public Optional<Caller> authenticate(String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        String hash = hash(token);
        byte[] expected = hash.getBytes(StandardCharsets.US_ASCII);
        return cached(hash, () -> jdbc.sql("SELECT * FROM api_keys WHERE prefix = ? AND revoked_at IS NULL")
                .param(lookup(token)).query((rs, i) -> Map.entry(rs.getString("hash"), key(rs, i))).list().stream()
                .filter(row -> MessageDigest.isEqual(expected, row.getKey().getBytes(StandardCharsets.US_ASCII)))
                .findFirst().map(row -> caller(row.getValue())));
    }

    /**
     * The caller of key {@code id} if it is live: what a dashboard session, which holds only its key's id,
     * is checked against on every request. Cached like {@link #authenticate}, and forgotten at the same
     * revocation notice.
     */
    public Optional<Caller> live(long id) {
        return cached("id:" + id, () -> find(id).filter(k -> k.revokedAt() == null).map(this::caller));
    }

    /** {@code read}'s answer, kept under {@code cacheKey} (a key's hash, or "id:" and its id) for key-cache-ttl. */
    private Optional<Caller> cached(String cacheKey, Supplier<Optional<Caller>> read) {
        long ttl = properties.keyCacheTtl().toNanos();
        if (ttl > 0) {
            Cached c = cache.get(cacheKey);
            if (c != null && System.nanoTime() - c.expiresAtNanos() < 0) {
                return Optional.of(c.caller());
            }
        }
        Optional<Caller> caller = read.get();
        if (ttl > 0) {
            caller.ifPresentOrElse(c -> cache.put(cacheKey, new Cached(c, System.nanoTime() + ttl)), () -> cache.remove(cacheKey));
        }
        return caller;
    }

    Caller caller(Key k) {
        Quota quota = properties.quota(k.role()).with(k.maxActiveJobs(), k.maxMemberSteps(), k.requestsPerSecond());
        return new Caller("key:" + k.id(), k.name(), k.role(), k.id(), quota);
    }

    private static Key key(ResultSet rs, int row) throws SQLException {
        return new Key(rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role")), rs.getString("prefix"),
                instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "revoked_at"),
                rs.getObject("max_active_jobs", Integer.class), rs.getObject("max_member_steps", Long.class),
                rs.getObject("requests_per_second", Integer.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
