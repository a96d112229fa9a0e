package dev.nalu.api;

import dev.nalu.config.LimitsProperties;

/** Checks page and size query parameters of a list. */
public final class Paging {
    private Paging() {
    }

    public static void check(int page, int size, LimitsProperties limits) {
        if (page < 0) {
            throw ApiException.invalid("page", "page must be 0 or more, got " + page);
        }
        if (size < 1) {
            throw ApiException.invalid("size", "size must be at least 1, got " + size);
        }
        if (size > limits.maxPageSize()) {
            throw ApiException.overLimit("size", limits.maxPageSize(), "size is " + size + ", at most "
                    + limits.maxPageSize() + " is allowed");
        }
    }
}
