package dev.nalu.security;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * A JWT from the configured OIDC issuer as a {@link Caller}: "jwt:" and its subject, the role from the
 * claim nalu.security.jwt-role-claim (a string, or a list whose highest role counts), the role's quota.
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {
    private final SecurityProperties properties;

    JwtCallers(SecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String claim = properties.jwtRoleClaim();
        Object value = jwt.getClaims().get(claim);
        List<?> values = value instanceof Collection<?> c ? List.copyOf(c) : value == null ? List.of() : List.of(value);
        Role role = values.stream().map(v -> Role.parse(String.valueOf(v))).filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new InvalidBearerTokenException("the token's claim \"" + claim
                        + "\" names no role (read, train or admin)"));
        if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
            throw new InvalidBearerTokenException("the token has no subject (sub)");
        }
        return new CallerAuthentication(new Caller("jwt:" + jwt.getSubject(), jwt.getSubject(), role, null,
                properties.quota(role)));
    }
}
