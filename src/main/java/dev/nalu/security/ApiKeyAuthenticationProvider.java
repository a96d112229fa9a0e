package dev.nalu.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Bearer tokens that are API keys. A token that is not a live key is refused, unless JWTs are on and
 * it has a JWT's shape (three dot-separated parts): then the JWT provider decides.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {
    private final ApiKeys keys;
    private final boolean jwtEnabled;

    ApiKeyAuthenticationProvider(ApiKeys keys, boolean jwtEnabled) {
        this.keys = keys;
        this.jwtEnabled = jwtEnabled;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        var caller = keys.authenticate(token);
        if (caller.isPresent()) {
            return new CallerAuthentication(caller.get());
        }
        if (jwtEnabled && token.chars().filter(c -> c == '.').count() == 2) {
            return null;
        }
        throw new InvalidBearerTokenException("the API key is unknown or revoked");
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
