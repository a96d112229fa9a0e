package dev.nalu.security;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API (nalu.security.*), documented in application.yml.
 *
 * @param enabled           false lets every call through with no key, no roles, no owners and no quotas: only for a
 *                          service behind a gateway that authenticates, or to measure what authentication costs
 * @param bootstrapAdminKey an admin key that must exist at start (from an environment variable or a
 *                          Kubernetes Secret); at least 32 characters. Unset: on a first start with no key
 *                          at all, the service makes one and writes it to {@code adminKeyFile}
 * @param adminKeyFile      where that first admin key is written (mode 0600)
 * @param keyCacheTtl       how long a replica trusts a key it has checked before it reads the key's row
 *                          again (0: on every request). A revocation reaches every replica at once anyway
 *                          (LISTEN/NOTIFY on PostgreSQL); this bounds how long a key stays trusted if that
 *                          message were lost
 * @param jwtRoleClaim      with JWTs (spring.security.oauth2.resourceserver.jwt.*): the claim that holds
 *                          the role ("read", "train" or "admin"; a list takes its highest)
 * @param quotas            each role's default quota; a key's own quota fields override them
 */
@Validated
@ConfigurationProperties("nalu.security")
public record SecurityProperties(
        @DefaultValue("true") boolean enabled,
        String bootstrapAdminKey,
        @DefaultValue("data/admin.key") Path adminKeyFile,
        @DefaultValue("60s") Duration keyCacheTtl,
        @DefaultValue("nalu_role") @NotBlank String jwtRoleClaim,
        @DefaultValue Quotas quotas) {

    public static final int MIN_KEY_LENGTH = 32;

    public SecurityProperties {
        if (bootstrapAdminKey != null && !bootstrapAdminKey.isEmpty()
                && (bootstrapAdminKey.length() < MIN_KEY_LENGTH || !ApiKeys.wellFormed(bootstrapAdminKey))) {
            throw new IllegalArgumentException("nalu.security.bootstrap-admin-key must be at least " + MIN_KEY_LENGTH
                    + " visible ASCII characters (e.g. nalu_ and 43 random base64url characters: "
                    + "echo nalu_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')), got "
                    + bootstrapAdminKey.length() + " characters");
        }
        if (keyCacheTtl.isNegative()) {
            throw new IllegalArgumentException("nalu.security.key-cache-ttl must be 0 or more, got " + keyCacheTtl);
        }
    }

    /** The quota of a role, before a key's own overrides. */
    public Quota quota(Role role) {
        return switch (role) {
            case READ -> quotas.read().toQuota();
            case TRAIN -> quotas.train().toQuota();
            case ADMIN -> quotas.admin().toQuota();
        };
    }

    /** Each role's default quota; the jar's application.yml gives the defaults (unset fields are 0, no limit). */
    public record Quotas(@DefaultValue RoleQuota read, @DefaultValue RoleQuota train, @DefaultValue RoleQuota admin) {
    }

    /**
     * @param activeJobs        jobs queued or running at once (0: no limit)
     * @param memberStepsPerJob steps × population of one job (0: only the service's budget)
     * @param requestsPerSecond sustained requests per second per key on each replica (0: no limit)
     */
    public record RoleQuota(@DefaultValue("0") @Min(0) int activeJobs, @DefaultValue("0") @Min(0) long memberStepsPerJob,
                            @DefaultValue("0") @Min(0) int requestsPerSecond) {
        Quota toQuota() {
            return new Quota(activeJobs, memberStepsPerJob, requestsPerSecond);
        }
    }
}
