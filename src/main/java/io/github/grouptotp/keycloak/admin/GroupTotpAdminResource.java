package io.github.grouptotp.keycloak.admin;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.keycloak.common.util.Time;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.ResolvedGroups;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.reset.GroupTotpResetAction;
import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.TotpMode;

/**
 * {@code /admin/realms/{realm}/group-totp}: the rollout report (who the policy requires, enrolled or not, grace
 * and deadline) for admins with view-users; a recorded, reasoned reset and grace for admins with manage-users.
 */
public class GroupTotpAdminResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 10_000;
    static final int MAX_REASON = 1000;
    static final String CSV = "text/csv";
    private static final List<String> CSV_COLUMNS = List.of("username", "id", "enrolled", "graceStart", "deadline", "daysLeft",
            "overdue", "graceGranted");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final KeycloakApi.UserPermissions auth;
    private final AdminEventBuilder adminEvent;

    GroupTotpAdminResource(KeycloakSession session, RealmModel realm, KeycloakApi.UserPermissions auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.USER);
    }

    /** Body of a reset: why the help desk reset the user's authenticator, and whether to end the user's sessions. */
    public static class ResetRequest {
        public String reason;
        /** End every session and offline token of the user (default): whoever used the old factor is signed out. */
        public Boolean signOut;
    }

    /** Body of a grace grant: why, and optionally the date from which enrolment is forced (yyyy-MM-dd, UTC). */
    public static class GraceRequest {
        public String reason;
        public String until;
    }

    @GET
    @Path("report")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reportJson(@QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        auth.requireView();
        Page page = page(first, max);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first", page.first());
        body.put("max", page.max());
        body.put("users", requiredUsers(page).map(GroupTotpAdminResource::asJson).toList());
        return body;
    }

    @GET
    @Path("report")
    @Produces(CSV)
    public Response reportCsv(@QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        auth.requireView();
        Page page = page(first, max);
        // Streamed row by row: a large page is never held in memory.
        StreamingOutput csv = output -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            writer.write(String.join(",", CSV_COLUMNS));
            writer.write("\r\n");
            try (Stream<Row> rows = requiredUsers(page)) {
                for (Row row : (Iterable<Row>) rows::iterator) {
                    writer.write(asCsv(row));
                    writer.write("\r\n");
                }
            }
            writer.flush();
        };
        return Response.ok(csv, CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"group-totp-" + realm.getName() + ".csv\"")
                .build();
    }

    /**
     * Removes the user's authenticator apps now, assigns {@code group-totp-reset} (a new phone at the next login),
     * and by default ends every session and offline token of the user, as Entra's "revoke MFA sessions" does.
     */
    @POST
    @Path("users/{id}/reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reset(@PathParam("id") String id, ResetRequest request) {
        UserModel user = managedUser(id);
        String reason = reason(request == null ? null : request.reason);
        if (!GroupTotpResetAction.isEnabled(realm)) {
            throw conflict("The required action '" + GroupTotpResetAction.PROVIDER_ID + "' (Reset authenticator app) is not "
                    + "enabled in this realm, so the user would never be asked to set up a new phone. Enable it in "
                    + "Authentication > Required actions first. Nothing was changed.");
        }
        boolean signOut = request.signOut == null || request.signOut;
        List<String> removed = List.copyOf(TotpCredentials.otpCredentialIds(user));
        removed.forEach(user.credentialManager()::removeStoredCredentialById);
        user.addRequiredAction(GroupTotpResetAction.PROVIDER_ID);
        int sessions = signOut ? signOut(user) : 0;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", user.getId());
        result.put("requiredAction", GroupTotpResetAction.PROVIDER_ID);
        result.put("removedCredentials", removed);
        result.put("signedOut", signOut);
        result.put("endedSessions", sessions);
        result.put("reason", reason);
        // The admin who did it is in the event's auth details; the reason in its details and representation.
        adminEvent.operation(OperationType.ACTION)
                .resourcePath("users", user.getId(), "group-totp-reset")
                .detail("reason", reason)
                .detail("removed_credentials", String.valueOf(removed.size()))
                .detail("signed_out", String.valueOf(signOut))
                .representation(result)
                .success();
        return result;
    }

    /**
     * Grants the user a fresh grace period ({@code graceDays} from now) or one until a given date, replacing what
     * was stored. The only way to change a grace period: users cannot, whatever the realm's profile settings.
     */
    @POST
    @Path("users/{id}/grace")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> grace(@PathParam("id") String id, GraceRequest request) {
        UserModel user = managedUser(id);
        String reason = reason(request == null ? null : request.reason);
        Instant now = LoginRecord.now();
        Instant deadline = grantedDeadline(request.until, now);
        GraceStore.grant(user, now, deadline);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", user.getId());
        result.put("graceStart", now.toString());
        result.put("deadline", deadline.toString());
        result.put("reason", reason);
        adminEvent.operation(OperationType.ACTION)
                .resourcePath("users", user.getId(), "group-totp-grace")
                .detail("reason", reason)
                .detail("deadline", deadline.toString())
                .representation(result)
                .success();
        return result;
    }

    private Instant grantedDeadline(String until, Instant now) {
        if (until == null || until.isBlank()) {
            int days = StepConfigs.ofBrowserFlow(realm).graceDays();
            if (days == 0) {
                throw new BadRequestException("The browser flow's step gives no grace days: name the date with 'until' (yyyy-MM-dd)");
            }
            return now.plus(Duration.ofDays(days));
        }
        Instant deadline;
        try {
            deadline = LocalDate.parse(until.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'until' must be a date like 2026-12-31 (enrolment is forced from 00:00 UTC that day)");
        }
        if (!deadline.isAfter(now)) {
            throw new BadRequestException("'until' must be a date in the future");
        }
        if (deadline.isAfter(now.plus(GracePeriod.MAX_GRANT))) {
            throw new BadRequestException("'until' may be at most " + GroupTotpConfig.MAX_GRACE_DAYS + " days ahead");
        }
        return deadline;
    }

    /** Ends the user's sessions and offline sessions, and makes tokens issued before now invalid. */
    private int signOut(UserModel user) {
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
        List<UserSessionModel> sessions = Stream.concat(
                        session.sessions().getUserSessionsStream(realm, user),
                        session.sessions().getOfflineUserSessionsStream(realm, user))
                .toList();
        sessions.forEach(userSession -> AuthenticationManager.backchannelLogout(session, userSession, true));
        return sessions.size();
    }

    private UserModel managedUser(String id) {
        auth.requireManage();
        UserModel user = session.users().getUserById(realm, id);
        if (user == null) {
            throw new NotFoundException("User not found");
        }
        auth.requireManage(user);
        return user;
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("A reason is required");
        }
        String stripped = reason.strip();
        if (stripped.length() > MAX_REASON) {
            throw new BadRequestException("The reason is longer than " + MAX_REASON + " characters");
        }
        return stripped;
    }

    private static ClientErrorException conflict(String message) {
        return new ClientErrorException(Response.status(Response.Status.CONFLICT)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "required_action_disabled", "error_description", message))
                .build());
    }

    private record Page(int first, int max) {
    }

    private static Page page(Integer first, Integer max) {
        int from = first == null ? 0 : first;
        int size = max == null ? DEFAULT_PAGE : max;
        if (from < 0 || size < 1 || size > MAX_PAGE) {
            throw new BadRequestException("first must be 0 or more and max from 1 to " + MAX_PAGE);
        }
        return new Page(from, size);
    }

    private record Row(UserModel user, EnrolmentStatus status) {
    }

    /** The users the browser flow's step requires, in a stable order, as a lazy stream over the user store. */
    private Stream<Row> requiredUsers(Page page) {
        GroupTotpConfig config = StepConfigs.ofBrowserFlow(realm);
        ResolvedGroups groups = new ResolvedGroups(session, realm);
        GroupTotpPolicy policy = new GroupTotpPolicy(config);
        Instant now = LoginRecord.now();
        return session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"), null, null)
                .filter(user -> policy.decide(groups.membershipsOf(user)).mode() == TotpMode.REQUIRED)
                .skip(page.first())
                .limit(page.max())
                .map(user -> new Row(user, EnrolmentStatus.of(config, TotpCredentials.isEnrolled(user), GraceStore.read(user), now)));
    }

    private static Map<String, Object> asJson(Row row) {
        Map<String, Object> json = new LinkedHashMap<>();
        EnrolmentStatus status = row.status();
        json.put("username", row.user().getUsername());
        json.put("id", row.user().getId());
        json.put("enrolled", status.enrolled());
        json.put("graceStart", status.graceStart().map(Instant::toString).orElse(null));
        json.put("deadline", status.deadline().map(Instant::toString).orElse(null));
        json.put("daysLeft", status.daysLeft());
        json.put("overdue", status.overdue());
        json.put("graceGranted", status.graceGranted());
        return json;
    }

    private static String asCsv(Row row) {
        EnrolmentStatus status = row.status();
        return String.join(",",
                csvField(row.user().getUsername()),
                csvField(row.user().getId()),
                String.valueOf(status.enrolled()),
                status.graceStart().map(Instant::toString).orElse(""),
                status.deadline().map(Instant::toString).orElse(""),
                String.valueOf(status.daysLeft()),
                String.valueOf(status.overdue()),
                String.valueOf(status.graceGranted()));
    }

    /** Quotes a field when needed, and defuses spreadsheet formulas (=, +, -, @) in user-controlled text. */
    static String csvField(String value) {
        String safe = value == null ? "" : value;
        if (!safe.isEmpty() && "=+-@".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            safe = "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
