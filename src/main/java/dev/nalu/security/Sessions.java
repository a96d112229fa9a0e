package dev.nalu.security;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Service;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard's sessions: an API key (or, when JWTs are trusted, a JWT) is exchanged once for a session (Spring
 * Session JDBC, a cookie that is HttpOnly and SameSite=Strict, Secure over HTTPS), because a browser's EventSource
 * cannot send an Authorization header. The session holds only the key's id (or the token); {@link #filter()}
 * checks that key again on every request through {@link ApiKeys#live}, so a revoked key ends its sessions at
 * their next request (and decodes the token again, so an expired token ends its session), and the caller has the
 * key's (the token's) role and quota, exactly as with a Bearer header. A request that sends a Bearer header
 * is authenticated by it alone, and its session, if any, is not read.
 */
@Service
public class Sessions {
    /** The session attribute that holds the signed-in key's id. */
    static final String KEY_ID = "nalu.keyId";
    /** The session attribute that holds the signed-in JWT (when JWTs are trusted). */
    static final String JWT = "nalu.jwt";
    /** Three base64url parts separated by dots: a JWS in its compact form (RFC 7515, §7.1), never an API key. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final ApiKeys keys;
    private final ObjectProvider<JwtDecoder> jwtDecoder;
    private final JwtCallers jwtCallers;
    private final SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

    Sessions(ApiKeys keys, ObjectProvider<JwtDecoder> jwtDecoder, SecurityProperties properties) {
        this.keys = keys;
        this.jwtDecoder = jwtDecoder;
        this.jwtCallers = new JwtCallers(properties);
    }

    /** True when the service trusts JWTs (spring.security.oauth2.resourceserver.jwt.*): then one signs in too. */
    public boolean acceptsJwt() {
        return jwtDecoder.getIfAvailable() != null;
    }

    /** True if {@code secret} has the form of a JWT (an API key never has). */
    public static boolean looksLikeJwt(String secret) {
        return COMPACT_JWS.matcher(secret.trim()).matches();
    }

    /**
     * Signs in with an API key, or with a JWT when JWTs are trusted: any session the request had is ended and a
     * new one, with a new id, holds the key's id (or the token). Empty, with no session made, if {@code secret} is
     * not a live API key or a valid token (signed by the trusted issuer, not expired, with a role).
     */
    public Optional<Caller> signIn(HttpServletRequest request, String secret) {
        String s = secret.trim();
        boolean jwt = looksLikeJwt(s) && acceptsJwt();
        Optional<Caller> caller = jwt ? jwtCaller(s) : keys.authenticate(s).filter(c -> c.keyId() != null);
        caller.ifPresent(c -> {
            signOut(request);
            if (jwt) {
                request.getSession(true).setAttribute(JWT, s);
            } else {
                request.getSession(true).setAttribute(KEY_ID, c.keyId());
            }
        });
        return caller;
    }

    /** The caller a JWT makes, as a Bearer JWT would (JwtCallers); empty if it is invalid, expired or has no role. */
    private Optional<Caller> jwtCaller(String token) {
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        if (decoder == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(((CallerAuthentication) jwtCallers.convert(decoder.decode(token))).caller());
        } catch (JwtException | AuthenticationException e) {
            return Optional.empty();
        }
    }

    /** Ends the request's session, if it has one. */
    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /**
     * True if a state-changing request must carry a CSRF token: it is authenticated (or signs in) by a session
     * cookie, not by an Authorization header, which a cross-site page cannot send.
     */
    static boolean needsCsrf(HttpServletRequest request) {
        return switch (request.getMethod()) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> false;
            default -> request.getHeader(HttpHeaders.AUTHORIZATION) == null
                    && (request.getRequestedSessionId() != null || request.getRequestURI().equals("/sign-in"));
        };
    }

    /** Sets the caller of a request that has a session and no Authorization header; ends a revoked key's session. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                HttpSession session = request.getHeader(HttpHeaders.AUTHORIZATION) == null ? request.getSession(false) : null;
                Optional<Caller> caller = Optional.empty();
                boolean signedIn = false;
                if (session != null && session.getAttribute(KEY_ID) instanceof Long keyId) {
                    caller = keys.live(keyId);
                    signedIn = true;
                } else if (session != null && session.getAttribute(JWT) instanceof String token) {
                    caller = jwtCaller(token); // checked again on every request: an expired token ends its session
                    signedIn = true;
                }
                if (signedIn) {
                    if (caller.isPresent()) {
                        SecurityContext context = SecurityContextHolder.createEmptyContext();
                        context.setAuthentication(new CallerAuthentication(caller.get()));
                        SecurityContextHolder.setContext(context);
                        // kept in the request too, for the async dispatch of an event stream (as the Bearer filter does)
                        contexts.saveContext(context, request, response);
                    } else {
                        session.invalidate();
                    }
                }
                chain.doFilter(request, response);
            }
        };
    }
}
