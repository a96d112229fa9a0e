package dev.nalu.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.nalu.security.Callers;
import dev.nalu.security.SecurityProperties;

/**
 * The dashboard's pages carry a Content-Security-Policy that runs only the service's own script files (no
 * inline script, no other origin) and may not be framed; a page asked for without a session goes to the
 * sign-in page (the API answers 401 instead).
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration implements WebMvcConfigurer {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final String[] PAGES = {"/", "/jobs", "/jobs/**", "/models/**", "/results", "/sign-in", "/sign-out"};

    private final SecurityProperties security;

    DashboardConfiguration(SecurityProperties security) {
        this.security = security;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                String path = request.getRequestURI();
                if (security.enabled() && Callers.current() == null && !path.equals("/sign-in") && !path.equals("/sign-out")) {
                    response.sendRedirect("/sign-in");
                    return false;
                }
                return true;
            }
        }).addPathPatterns(PAGES);
    }
}
