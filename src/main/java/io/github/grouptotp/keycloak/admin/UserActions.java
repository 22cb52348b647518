package io.github.grouptotp.keycloak.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.grace.GraceGrant;
import io.github.grouptotp.keycloak.guard.CodeThrottle;
import io.github.grouptotp.keycloak.reset.HelpDeskReset;
import io.github.grouptotp.keycloak.reset.OneTimePass;
import io.github.grouptotp.policy.SecondFactor;

/**
 * {@code /admin/realms/{realm}/group-totp/users/{id}/...}: a help-desk reset, a grace grant and the clearing of the
 * wrong-code limit of one user, for admins who may manage that user; each recorded as an admin event with the
 * admin in its auth details. An unknown user is 404, a missing or blank reason 400.
 */
@Produces(MediaType.APPLICATION_JSON)
public class UserActions {

    static final int MAX_REASON = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final KeycloakApi.UserPermissions auth;
    private final AdminEventBuilder adminEvent;
    private final String id;

    UserActions(KeycloakSession session, RealmModel realm, KeycloakApi.UserPermissions auth, AdminEventBuilder adminEvent, String id) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.id = id;
    }

    /** Body of a call that changes a user: why, in words that go into the admin event. */
    public static class Reasoned {
        public String reason;
    }

    /** Body of a reset: why the help desk reset the user's authenticator, and whether to end the user's sessions. */
    public static class ResetRequest extends Reasoned {
        /** End every session and offline token of the user (default): whoever used the old factor is signed out. */
        public Boolean signOut;
        /**
         * What to remove, by name: {@code otp}, {@code webauthn}, {@code passkey}, {@code recovery-codes}; all of them
         * when absent (a lost or stolen phone).
         */
        public List<String> factors;
    }

    /** Body of a grace grant: why, and optionally the date from which enrolment is forced (yyyy-MM-dd, UTC). */
    public static class GraceRequest extends Reasoned {
        public String until;
    }

    /**
     * A help-desk reset ({@link HelpDeskReset}): answers a one-time pass, valid {@code resetPassHours}, when the
     * step's {@code resetPass=required} (the default); a new reset replaces it.
     */
    @POST
    @Path("reset")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> reset(ResetRequest request) {
        Change change = change(request);
        if (!HelpDeskReset.possible(realm)) {
            throw AdminErrors.conflict("required_action_disabled", "The required action '" + RequiredActions.RESET
                    + "' (Reset authenticator app) is not enabled in this realm, so the user would never be asked to set up "
                    + "a new phone. Enable it in Authentication > Required actions first. Nothing was changed.");
        }
        Set<String> removeTypes = request.factors == null ? HelpDeskReset.RESET_REMOVES
                : HelpDeskReset.typesNamed(request.factors).filter(types -> !types.isEmpty()).orElseThrow(() -> AdminErrors.badRequest(
                        "factors must list one or more of otp, webauthn, passkey, " + HelpDeskReset.RECOVERY_CODES + ". Nothing was changed."));
        boolean signOut = request.signOut == null || request.signOut;
        HelpDeskReset.Done done = HelpDeskReset.perform(session, realm, change.user(), removeTypes, signOut);
        Optional<String> passExpires = done.pass().map(pass -> pass.record().expires().toString());
        String pass = done.pass().map(OneTimePass.Issued::text).orElse(null);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", change.user().getId());
        // No reset to do at the next login when the user keeps a factor (a lost security key, the app still at hand).
        result.put("requiredAction", done.resetAssigned() ? RequiredActions.RESET : null);
        result.put("removedCredentials", done.removedCredentials());
        result.put("remainingFactors", done.remainingFactors().stream().map(SecondFactor::configName).toList());
        result.put("signedOut", signOut);
        result.put("endedSessions", done.endedSessions());
        result.put("reason", change.reason());
        result.put("oneTimePassExpires", passExpires.orElse(null));
        // The admin who did it is in the event's auth details; the reason in its details and representation; that a
        // pass was issued and until when, never the pass itself.
        adminEvent.operation(OperationType.ACTION)
                .resourcePath("users", change.user().getId(), "group-totp-reset")
                .detail("reason", change.reason())
                .detail("removed_credentials", String.valueOf(done.removedCredentials().size()))
                .detail("reset_assigned", String.valueOf(done.resetAssigned()))
                .detail("signed_out", String.valueOf(signOut))
                .detail("one_time_pass", pass == null ? "none" : "issued")
                .detail("one_time_pass_expires", passExpires.orElse(""))
                .representation(new LinkedHashMap<>(result))
                .success();
        // Shown once, here: only its hash is stored.
        result.put("oneTimePass", pass);
        return result;
    }

    /**
     * Gives back every slot of the user's limit on wrong codes ({@link CodeThrottle#clear}): the way out when someone
     * who knows the password filled it to lock the owner out. Answers how many wrong codes were counting.
     */
    @DELETE
    @Path("throttle")
    public Map<String, Object> clearThrottle() {
        UserModel user = managedUser();
        int cleared = CodeThrottle.clear(session, realm, user);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", user.getId());
        result.put("clearedWrongCodes", cleared);
        adminEvent.operation(OperationType.DELETE)
                .resourcePath("users", user.getId(), "group-totp-throttle")
                .detail("cleared_wrong_codes", String.valueOf(cleared))
                .representation(result)
                .success();
        return result;
    }

    /** Grants the user a grace period ({@link GraceGrant}), replacing what was stored. */
    @POST
    @Path("grace")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> grace(GraceRequest request) {
        Change change = change(request);
        GraceGrant.Granted granted;
        try {
            granted = GraceGrant.grant(change.user(), StepConfigs.ofBrowserFlow(realm), request.until, LoginRecord.now());
        } catch (GraceGrant.Refused refused) {
            throw AdminErrors.badRequest(refused.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", change.user().getId());
        result.put("graceStart", granted.start().toString());
        result.put("deadline", granted.deadline().toString());
        result.put("reason", change.reason());
        adminEvent.operation(OperationType.ACTION)
                .resourcePath("users", change.user().getId(), "group-totp-grace")
                .detail("reason", change.reason())
                .detail("deadline", granted.deadline().toString())
                .representation(result)
                .success();
        return result;
    }

    /** The user a call changes, and why: first who (403, 404), then why (400). */
    private record Change(UserModel user, String reason) {
    }

    private Change change(Reasoned request) {
        UserModel user = managedUser();
        return new Change(user, reason(request));
    }

    private UserModel managedUser() {
        auth.requireManage();
        UserModel user = session.users().getUserById(realm, id);
        if (user == null) {
            throw AdminErrors.notFound("User not found");
        }
        auth.requireManage(user);
        return user;
    }

    private static String reason(Reasoned request) {
        String reason = request == null ? null : request.reason;
        if (reason == null || reason.isBlank()) {
            throw AdminErrors.badRequest("A reason is required");
        }
        String stripped = reason.strip();
        if (stripped.length() > MAX_REASON) {
            throw AdminErrors.badRequest("The reason is longer than " + MAX_REASON + " characters");
        }
        return stripped;
    }
}
