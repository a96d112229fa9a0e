package dev.nalu.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.swagger.v3.oas.annotations.Hidden;

import dev.nalu.security.Caller;
import dev.nalu.security.Callers;
import dev.nalu.security.SecurityProperties;
import dev.nalu.security.Sessions;

/**
 * The dashboard's pages. Each is an HTML shell; its script (src/main/resources/static/js) reads and changes
 * everything through the same /api/v1 calls as any client, with the session cookie, so the API's roles,
 * quotas and problem details hold here too. Not part of the API description (hidden from /v3/api-docs).
 */
@Hidden
@Controller
class DashboardController {
    /** A key is 48 characters; anything much longer is not one (and is not looked up). */
    private static final int MAX_KEY_LENGTH = 512;
    /** A JWT of an OIDC issuer is usually 1 to 2 KB; anything longer than this is not decoded. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final Sessions sessions;
    private final SecurityProperties security;

    DashboardController(Sessions sessions, SecurityProperties security) {
        this.sessions = sessions;
        this.security = security;
    }

    /** Who is signed in, for the page's header and to show only the buttons the caller's role may use. */
    @ModelAttribute
    void caller(Model model) {
        Caller caller = Callers.current();
        model.addAttribute("callerId", caller == null ? "" : caller.id());
        model.addAttribute("callerName", caller == null ? "" : caller.name());
        model.addAttribute("callerRole", caller == null ? (security.enabled() ? "" : "admin") : caller.role().json());
        model.addAttribute("securityEnabled", security.enabled());
        model.addAttribute("jwtEnabled", sessions.acceptsJwt());
        model.addAttribute("jwtRoleClaim", security.jwtRoleClaim());
    }

    @GetMapping("/")
    String home() {
        return "redirect:/jobs";
    }

    @GetMapping("/sign-in")
    String signInPage() {
        return "sign-in";
    }

    @PostMapping("/sign-in")
    String signIn(@RequestParam(defaultValue = "") String key, HttpServletRequest request, HttpServletResponse response,
                  Model model) {
        boolean token = sessions.acceptsJwt() && Sessions.looksLikeJwt(key);
        int most = token ? MAX_TOKEN_LENGTH : MAX_KEY_LENGTH;
        if (!key.isBlank() && key.length() <= most && sessions.signIn(request, key).isPresent()) {
            return "redirect:/jobs";
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        model.addAttribute("error", key.isBlank() ? (sessions.acceptsJwt() ? "Enter an API key or a token." : "Enter an API key.")
                : token ? "This token is not accepted: expired, not signed by the issuer this service trusts, or without a role."
                : "This key is unknown or revoked.");
        return "sign-in";
    }

    @PostMapping("/sign-out")
    String signOut(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:/sign-in";
    }

    @GetMapping("/jobs")
    String jobs() {
        return "jobs";
    }

    @GetMapping("/jobs/new")
    String newJob() {
        return "new-job";
    }

    @GetMapping("/jobs/{id}")
    String job(@PathVariable long id, Model model) {
        model.addAttribute("id", id);
        return "job";
    }

    @GetMapping("/results")
    String results() {
        return "results";
    }

    @GetMapping("/models/{id}")
    String model(@PathVariable long id, Model model) {
        model.addAttribute("id", id);
        return "model";
    }
}
