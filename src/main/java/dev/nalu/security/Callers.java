package dev.nalu.security;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;

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

    /**
     * A 403 (role admin) unless the current caller may change a resource that {@code owner} owns: its owner or an
     * admin may; outside a request anyone may. {@code what} names the resource ("model 12"), {@code action} the
     * change ("delete").
     */
    public static void requireMayChange(String owner, String what, String action) {
        Caller caller = current();
        if (caller != null && !caller.mayChange(owner)) {
            throw new ApiException(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Forbidden", what
                    + " belongs to another key; only its owner or an admin may " + action + " it", Map.of("role", "admin"));
        }
    }
}
