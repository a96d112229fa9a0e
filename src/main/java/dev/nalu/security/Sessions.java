package dev.nalu.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Service;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard's sessions: an API key is exchanged once for a session (Spring Session JDBC, a cookie that is
 * HttpOnly and SameSite=Strict, Secure over HTTPS), because a browser's EventSource cannot send an
 * Authorization header. The session holds only the key's id; {@link #filter()} checks that key again on every
 * request through {@link ApiKeys#live}, so a revoked key ends its sessions at their next request, and the
 * caller has the key's role and quota, exactly as with a Bearer header. A request that sends a Bearer header
 * is authenticated by it alone, and its session, if any, is not read.
 */
@Service
public class Sessions {
    /** The session attribute that holds the signed-in key's id. */
    static final String KEY_ID = "nalu.keyId";

    private final ApiKeys keys;
    private final SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

    Sessions(ApiKeys keys) {
        this.keys = keys;
    }

    /**
     * Signs in with an API key (a JWT is not accepted here): any session the request had is ended and a new one,
     * with a new id, holds the key's id. Empty, with no session made, if {@code key} is not a live API key.
     */
    public Optional<Caller> signIn(HttpServletRequest request, String key) {
        Optional<Caller> caller = keys.authenticate(key.trim()).filter(c -> c.keyId() != null);
        caller.ifPresent(c -> {
            signOut(request);
            request.getSession(true).setAttribute(KEY_ID, c.keyId());
        });
        return caller;
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
                if (session != null && session.getAttribute(KEY_ID) instanceof Long keyId) {
                    Optional<Caller> caller = keys.live(keyId);
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
