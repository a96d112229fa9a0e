package dev.nalu.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * At start, before the service reports ready: makes sure nalu.security.bootstrap-admin-key exists as an
 * admin key; without it, on a first start with no key at all, makes one admin key and writes it to
 * nalu.security.admin-key-file (mode 0600). The log names the file, never the key.
 */
@Component
public class AdminKeyBootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

    private final ApiKeys keys;
    private final SecurityProperties properties;

    public AdminKeyBootstrap(ApiKeys keys, SecurityProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        String configured = properties.bootstrapAdminKey();
        if (configured != null && !configured.isEmpty()) {
            try {
                if (keys.ensureAdmin(configured, "bootstrap")) {
                    log.info("added the admin key of nalu.security.bootstrap-admin-key");
                }
            } catch (DuplicateKeyException e) {
                // another replica added it at the same moment
            }
            return;
        }
        if (keys.count() > 0) {
            return;
        }
        String secret = ApiKeys.newSecret();
        Path file = properties.adminKeyFile().toAbsolutePath();
        write(file, secret);
        keys.ensureAdmin(secret, "admin");
        log.info("no API key existed: made an admin key and wrote it to {} (readable by this user only); "
                + "use it as 'Authorization: Bearer <key>' and make other keys with POST /api/v1/keys", file);
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("cannot write the admin key: " + file + " appeared while writing it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin key to " + file
                    + " (set nalu.security.admin-key-file, or nalu.security.bootstrap-admin-key)", e);
        }
    }
}
