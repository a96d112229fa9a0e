package dev.nalu.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the current request, for services that record owners or check ownership. */
public final class Callers {
    private Callers() {
    }

    /** The current caller; null outside a request (a job worker, a start-up task). */
    public static Caller current() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a instanceof CallerAuthentication c ? c.caller() : null;
    }

    /** The current caller's id, the owner to record; null outside a request. */
    public static String currentId() {
        Caller c = current();
        return c == null ? null : c.id();
    }
}
