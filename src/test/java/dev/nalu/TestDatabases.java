package dev.nalu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh H2 file database in a temporary directory, so tests never touch ./data. */
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
}
