package dev.nalu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.nalu.ApiTestSupport;

/**
 * JWTs from an OIDC issuer, here stood in for by a key pair made in the test: the service trusts its
 * public key (spring.security.oauth2.resourceserver.jwt.public-key-location) and takes the role from the
 * claim nalu_role. API keys keep working beside them.
 */
class JwtApiTest extends ApiTestSupport {
    static final KeyPair ISSUER = keyPair();
    static final KeyPair STRANGER = keyPair();

    @DynamicPropertySource
    static void trustTheIssuer(DynamicPropertyRegistry registry) {
        try {
            Path pem = Files.createTempFile("nalu-jwt", ".pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ISSUER.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(KeyPair signer, String subject, Object role, Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).issueTime(new Date())
                .expirationTime(Date.from(expires));
        if (role != null) {
            claims.claim("nalu_role", role);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private ResponseEntity<String> submitWith(String token) {
        return send(HttpMethod.POST, "/api/v1/jobs", SUM_JOB, as(token));
    }

    @Test
    void aTokenOfTheIssuerActsWithTheRoleOfItsClaim() {
        Instant later = Instant.now().plusSeconds(600);
        ResponseEntity<String> trained = submitWith(token(ISSUER, "alice", "train", later));
        assertThat(trained.getStatusCode().value()).as(trained.getBody()).isEqualTo(202);
        long job = read(trained).get("id").asLong();
        assertThat(jdbc.sql("SELECT owner FROM jobs WHERE id = ?").param(job).query(String.class).single()).isEqualTo("jwt:alice");

        ResponseEntity<String> reader = submitWith(token(ISSUER, "bob", java.util.List.of("read"), later));
        assertThat(reader.getStatusCode().value()).isEqualTo(403);
        assertThat(send(HttpMethod.GET, "/api/v1/jobs/" + job, null, as(token(ISSUER, "bob", "read", later)))
                .getStatusCode().value()).isEqualTo(200);
        assertThat(send(HttpMethod.POST, "/api/v1/jobs/" + job + "/cancel", null, as(token(ISSUER, "carol", "train", later)))
                .getStatusCode().value()).as("another subject's job").isEqualTo(403);
    }

    @Test
    void aTokenThatIsExpiredForeignOrWithoutARoleIs401() {
        Instant later = Instant.now().plusSeconds(600);
        for (String token : new String[] {token(ISSUER, "alice", "train", Instant.now().minusSeconds(600)),
                token(STRANGER, "alice", "admin", later), token(ISSUER, "alice", null, later),
                token(ISSUER, "alice", "root", later)}) {
            ResponseEntity<String> r = submitWith(token);
            assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(401);
            assertThat(r.getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
            assertThat(read(r).get("type").asText()).isEqualTo("/problems/unauthorized");
        }
    }

    @Test
    void apiKeysStillWork() {
        assertThat(send(HttpMethod.GET, "/api/v1/presets", null, Map.of()).getStatusCode().value()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/api/v1/presets", null, as(newKey("read"))).getStatusCode().value()).isEqualTo(200);
    }
}
