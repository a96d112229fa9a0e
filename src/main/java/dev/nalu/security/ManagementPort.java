package dev.nalu.security;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The port the actuator's own server listens on when management.server.port differs from the API's
 * (Spring Boot then starts a child context whose server namespace is "management"); -1 otherwise.
 */
@Component
public class ManagementPort implements ApplicationListener<WebServerInitializedEvent> {
    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    /** True if a request that arrived on {@code localPort} came through the management server. */
    public boolean is(int localPort) {
        return port > 0 && localPort == port;
    }
}
