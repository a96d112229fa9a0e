package dev.nalu.security;

import java.util.Objects;

/**
 * Who sent a request: an API key or the subject of a JWT, its role and its quota.
 *
 * @param id    stable and unique: "key:12" for API key 12, "jwt:alice" for a token's subject; jobs and
 *              models record it as their owner
 * @param name  for people: the key's name or the token's subject
 * @param keyId the API key's id, null for a JWT
 */
public record Caller(String id, String name, Role role, Long keyId, Quota quota) {

    public Caller {
        Objects.requireNonNull(id);
        Objects.requireNonNull(role);
        Objects.requireNonNull(quota);
    }

    /** True if this caller may change what {@code owner} made: its own things, or anything for an admin. */
    public boolean mayChange(String owner) {
        return role == Role.ADMIN || id.equals(owner);
    }
}
