package dev.nalu;

/** The admin key every test service starts with (nalu.security.bootstrap-admin-key), and the header that carries it. */
public final class TestKeys {
    /** 43 characters after the prefix, like a real key; known to the tests only. */
    public static final String ADMIN = "nalu_test-admin-key-000000000000000000000000000";

    private TestKeys() {
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
