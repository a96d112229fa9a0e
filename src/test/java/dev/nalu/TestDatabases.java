package dev.nalu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/** A fresh database per test context: an H2 file database in a temporary directory (so tests never touch ./data), or a PostgreSQL one. */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static String newUrl(String name) {
        try {
            Path dir = Files.createTempDirectory("nalu-" + name);
            dir.toFile().deleteOnExit();
            return "jdbc:h2:file:" + dir.resolve("nalu") + ";DB_CLOSE_ON_EXIT=FALSE";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Datasource properties of a fresh database: PostgreSQL with the profile "postgres", H2 otherwise. */
    public static Map<String, Object> newDatabase(String name, boolean postgres) {
        if (postgres) {
            return Map.of("spring.datasource.url", PostgresDatabases.create(name),
                    "spring.datasource.username", PostgresDatabases.USER,
                    "spring.datasource.password", PostgresDatabases.PASSWORD);
        }
        return Map.of("spring.datasource.url", newUrl(name));
    }

    /**
     * Gives each Spring test context its own fresh database, chosen by the active profile. A context
     * shared through Spring's test context cache shares its database too.
     */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            boolean postgres = context.getEnvironment().acceptsProfiles(Profiles.of("postgres"));
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("testDatabase", newDatabase("api", postgres)));
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("testKeys", Map.of("nalu.security.bootstrap-admin-key", TestKeys.ADMIN)));
        }
    }
}
