package dev.nalu.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reading the repository's YAML (config/, deploy/) for the manifest tests; paths are relative to the project root. */
final class Manifests {
    static final Path ROOT = Path.of("").toAbsolutePath();

    private Manifests() {
    }

    /** Every *.yml / *.yaml file under the folders. */
    static List<Path> yamlFiles(String... folders) {
        List<Path> files = new ArrayList<>();
        for (String folder : folders) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
                walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** All documents of a YAML file (Kubernetes files may hold several). */
    static List<Map<String, Object>> documents(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(options).loadAll(read(file))) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    static Map<String, Object> document(String file) {
        List<Map<String, Object>> docs = documents(ROOT.resolve(file));
        if (docs.size() != 1) {
            throw new AssertionError(file + " holds " + docs.size() + " documents, expected 1");
        }
        return docs.get(0);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) {
            throw new AssertionError("not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw new AssertionError("not a list: " + o);
        }
        return (List<Object>) o;
    }

    /** The value at a dotted path ("spec.template.spec"), or null. */
    static Object at(Map<String, Object> doc, String path) {
        Object current = doc;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /** The leaf keys of a Spring configuration file, dotted ("server.port"). */
    static Map<String, Object> flatten(Map<String, Object> doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", doc, out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else {
            out.put(prefix, value);
        }
    }

    /** Spring Boot's relaxed binding from a property to its environment variable: spring.datasource.url → SPRING_DATASOURCE_URL. */
    static String environmentName(String property) {
        return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
    }

    /** The environment variables the service understands: its configuration's properties and the placeholders they read. */
    static Set<String> serviceEnvironment() {
        Set<String> names = new TreeSet<>(Set.of("SPRING_PROFILES_ACTIVE", "JAVA_OPTS", "OMP_NUM_THREADS"));
        Pattern placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::[^}]*)?}");
        for (Path file : yamlFiles("config", "src/main/resources")) {
            flatten(documents(file).isEmpty() ? Map.of() : documents(file).get(0)).keySet().forEach(k -> names.add(environmentName(k)));
            Matcher m = placeholder.matcher(read(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The actuator's port (management.server.port in the jar's application.yml): probes and the scrape. */
    static int managementPort() {
        return ((Number) at(document("src/main/resources/application.yml"), "management.server.port")).intValue();
    }

    /** The application's HTTP port (server.port in the jar's application.yml). */
    static int serverPort() {
        return ((Number) at(document("src/main/resources/application.yml"), "server.port")).intValue();
    }
}
