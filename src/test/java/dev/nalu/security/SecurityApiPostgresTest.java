package dev.nalu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

import dev.nalu.PostgresTest;

/**
 * {@link SecurityApiTest} on PostgreSQL (keys, owners, the active-job quota's row lock), and a revocation
 * reaching another replica at once although that replica trusts the keys it has checked for an hour.
 */
@PostgresTest
class SecurityApiPostgresTest extends SecurityApiTest {
    @Autowired
    DataSource dataSource;

    @Test
    void aRevocationReachesAnotherReplicaAtOnce() {
        SecurityProperties.RoleQuota none = new SecurityProperties.RoleQuota(0, 0, 0);
        SecurityProperties anHour = new SecurityProperties(true, null, Path.of("unused"), Duration.ofHours(1), "nalu_role",
                new SecurityProperties.Quotas(none, none, none));
        KeyRevocations listening = new KeyRevocations(dataSource, jdbc);
        ApiKeys otherReplica = new ApiKeys(jdbc, anHour, listening);
        listening.start();
        try {
            String secret = newKey("read");
            long id = getJson("/api/v1/keys?size=100").findValues("id").stream().mapToLong(n -> n.asLong()).max().orElseThrow();
            assertThat(otherReplica.authenticate(secret)).as("trusted, and now cached for an hour").isPresent();
            sleep(300); // the other replica listens

            assertThat(send(HttpMethod.DELETE, "/api/v1/keys/" + id, null, java.util.Map.of()).getStatusCode().value())
                    .isEqualTo(204);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (otherReplica.authenticate(secret).isPresent() && System.nanoTime() < deadline) {
                sleep(20);
            }
            assertThat(otherReplica.authenticate(secret)).as("refused within 3 s of the revocation").isEmpty();
        } finally {
            listening.stop();
        }
    }
}
