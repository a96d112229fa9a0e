package dev.nalu.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;

/**
 * One filter chain for the whole service. Every /api/v1 call needs {@code Authorization: Bearer <key>}
 * (an API key, or a JWT when spring.security.oauth2.resourceserver.jwt.* is set); its role decides what
 * it may do (see {@link Role}); so does every call of the Open Inference Protocol under /v2 (any role). Health
 * probes, the API description and Swagger UI are open; the other
 * actuator endpoints (Prometheus, metrics, info) are open only on the management port
 * (management.server.port) and need the admin role anywhere else. The dashboard signs in with a key for a
 * session cookie ({@link Sessions}); a state-changing request authenticated by that cookie needs a CSRF token
 * (a double-submit cookie, header X-CSRF-TOKEN or form field _csrf), one with an Authorization header never.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {
    private static final String API = "/api/v1/";
    private static final String INFERENCE = "/v2";
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * The rules below match paths as path patterns, on the request alone. Left to itself, Spring Security
     * asks Spring MVC's handler mappings for each rule, which made the rules cost more than the key check.
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean pathPatterns() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /**
     * No Micrometer observation around each security filter and decision: with the actuator on the class
     * path Spring Security times every filter of every request, which cost a 1-row predict more than
     * the key check itself (a JFR profile of service-bench's predict; docs/performance.md). HTTP requests
     * are still timed as a whole (http.server.requests).
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_TRAIN\nROLE_TRAIN > ROLE_READ");
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys, SecurityProperties properties, ObjectMapper json,
                            ObjectProvider<JwtDecoder> jwtDecoder, ManagementPort management, Sessions sessions)
            throws Exception {
        List<AuthenticationProvider> providers = new ArrayList<>();
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        providers.add(new ApiKeyAuthenticationProvider(keys, decoder != null));
        if (decoder != null) {
            JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
            jwt.setJwtAuthenticationConverter(new JwtCallers(properties));
            providers.add(jwt);
        }
        AuthenticationManager manager = new ProviderManager(providers);
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            boolean tokenGiven = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, tokenGiven
                    ? "Bearer error=\"invalid_token\", error_description=\"" + e.getMessage().replace('"', '\'') + "\""
                    : "Bearer");
            new ApiException(HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED, "Unauthorized", tokenGiven
                    ? "the bearer token was refused: " + e.getMessage()
                    : "this call needs an API key: send 'Authorization: Bearer <key>'", Map.of()).writeTo(response, json);
        };
        AccessDeniedHandler forbidden = (request, response, e) -> {
            if (e instanceof CsrfException) {
                new ApiException(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Forbidden", request.getMethod() + " "
                        + request.getRequestURI() + " is authenticated by a session cookie and needs its CSRF token "
                        + "(header X-CSRF-TOKEN or form field _csrf, from the page's meta tag _csrf)", Map.of())
                        .writeTo(response, json);
                return;
            }
            Caller caller = Callers.current();
            Role role = needed(request);
            new ApiException(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Forbidden", request.getMethod() + " "
                    + request.getRequestURI() + " needs the role " + role.json()
                    + (caller == null ? "" : "; this key's role is " + caller.role().json()), Map.of("role", role.json()))
                    .writeTo(response, json);
        };
        AuthorizationManager<RequestAuthorizationContext> actuator = (authentication, context) ->
                new AuthorizationDecision(management.is(context.getRequest().getLocalPort())
                        || authentication.get().getAuthorities().stream()
                        .anyMatch(a -> a.getAuthority().equals(Role.ADMIN.authority())));

        CookieCsrfTokenRepository csrfTokens = new CookieCsrfTokenRepository();
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        csrfTokens.setHeaderName("X-CSRF-TOKEN");
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).requireCsrfProtectionMatcher(Sessions::needsCsrf))
                // Spring Security keeps nothing in sessions: a request's context lives in the request alone. The
                // dashboard's session is read by Sessions' filter, which checks its key on every request; Spring's
                // session management would change the session's id and clear the CSRF cookie on each of them.
                .sessionManagement(s -> s.disable())
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .requestCache(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .anonymous(a -> a.principal("anonymous"));
        if (!properties.enabled()) {
            log.warn("nalu.security.enabled=false: every call is let through without a key, role or quota; "
                    + "only run this way behind a gateway that authenticates");
            return http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll()).build();
        }
        http.oauth2ResourceServer(rs -> rs.authenticationManagerResolver(request -> manager)
                        .authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .addFilterBefore(sessions.filter(), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(json), BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").access(actuator)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
                                "/swagger-ui/**", "/error").permitAll()
                        .requestMatchers(API + "keys", API + "keys/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, API + "models").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.PATCH, API + "models/*").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.DELETE, API + "models/*").hasRole(Role.TRAIN.name())
                        .requestMatchers(HttpMethod.POST, API + "jobs", API + "jobs/*/cancel").hasRole(Role.TRAIN.name())
                        .requestMatchers(HttpMethod.DELETE, API + "jobs/*").hasRole(Role.TRAIN.name())
                        .requestMatchers(HttpMethod.POST, API + "datasets").hasRole(Role.TRAIN.name())
                        .requestMatchers(HttpMethod.DELETE, API + "datasets/*").hasRole(Role.TRAIN.name())
                        .requestMatchers(HttpMethod.POST, API + "models/*/predict", API + "models/*/evaluate",
                                API + "expressions/evaluate").hasRole(Role.READ.name())
                        .requestMatchers(HttpMethod.GET, API + "**").hasRole(Role.READ.name())
                        // the Open Inference Protocol: metadata, health and inference, all for any key
                        .requestMatchers(INFERENCE, INFERENCE + "/**").hasRole(Role.READ.name())
                        // anything else under the API (a new endpoint without a rule here) is admin-only until it gets one
                        .requestMatchers(API + "**").hasRole(Role.ADMIN.name())
                        .anyRequest().permitAll());
        return http.build();
    }

    /** The role a request needs, for the 403's words (the rules above decide). */
    static Role needed(HttpServletRequest request) {
        String path = request.getRequestURI();
        String method = request.getMethod();
        if (path.equals(INFERENCE) || path.startsWith(INFERENCE + "/")) {
            return Role.READ;
        }
        if (!path.startsWith(API) || path.startsWith(API + "keys")) {
            return Role.ADMIN;
        }
        if (method.equals("GET") || path.endsWith("/predict") || path.endsWith("/evaluate")) {
            return Role.READ;
        }
        if (path.startsWith(API + "jobs") || path.startsWith(API + "datasets")
                || (method.equals("DELETE") && path.startsWith(API + "models/"))) {
            return Role.TRAIN;
        }
        return Role.ADMIN;
    }
}
