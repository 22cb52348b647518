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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.guard.CodeThrottle;
import io.github.grouptotp.keycloak.grace.ReminderRecord;
import io.github.grouptotp.keycloak.remind.Reminders;
import io.github.grouptotp.keycloak.reset.OneTimePass;
import io.github.grouptotp.keycloak.reset.PendingReset;
import io.github.grouptotp.keycloak.rollout.RolloutReport;
import io.github.grouptotp.keycloak.rollout.RolloutSummary;
import io.github.grouptotp.keycloak.rollout.SummaryQueries;
import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * {@code /admin/realms/{realm}/group-totp}: the rollout summary and report (who the policy requires, enrolled or not,
 * grace and deadline) for admins with view-users; a recorded, reasoned reset and grace for admins with manage-users.
 */
public class GroupTotpAdminResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 10_000;
    static final int MAX_REASON = 1000;
    static final String CSV = "text/csv";
    /** What a reset removes: every second factor of the user and the recovery codes that stand in for it. */
    static final Set<String> RESET_REMOVES = Set.of(OTPCredentialModel.TYPE, RecoveryAuthnCodesCredentialModel.TYPE);
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

    /** Where the realm stands: counts of required (enrolled, in grace, overdue), optional and exempt users, per group. */
    @GET
    @Path("summary")
    @Produces(MediaType.APPLICATION_JSON)
    public RolloutSummary summary() {
        auth.requireView();
        RolloutSummary summary = SummaryQueries.read(session, realm);
        RolloutGauges.update(realm.getName(), summary);
        return summary;
    }

    /**
     * Every user the browser flow's step requires, in username order: JSON by default (a page of {@code max}, 100
     * unless given), CSV when asked ({@code Accept: text/csv} or {@code format=csv}, the whole report unless
     * {@code max} is given, streamed row by row).
     */
    @GET
    @Path("report")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    public Response report(@QueryParam("first") Integer first, @QueryParam("max") Integer max,
                           @QueryParam("status") String status, @QueryParam("group") String group,
                           @QueryParam("format") String format, @Context HttpHeaders headers) {
        auth.requireView();
        boolean csv = csvWanted(format, headers);
        int from = first == null ? 0 : first;
        if (from < 0 || (max != null && (max < 1 || max > MAX_PAGE))) {
            throw new BadRequestException("first must be 0 or more and max from 1 to " + MAX_PAGE);
        }
        Optional<RolloutReport.Status> statusFilter = Optional.ofNullable(status).map(value -> RolloutReport.Status.of(value)
                .orElseThrow(() -> new BadRequestException("status must be one of enrolled, not_enrolled, grace, overdue")));
        RolloutReport rollout = RolloutReport.of(session, realm);
        Optional<Set<String>> groupFilter = Optional.ofNullable(group).map(path -> rollout.subtree(path)
                .orElseThrow(() -> new BadRequestException("No group " + path)));
        Optional<Integer> size = Optional.ofNullable(max).or(() -> csv ? Optional.empty() : Optional.of(DEFAULT_PAGE));
        if (!csv) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("first", from);
            body.put("max", size.orElseThrow());
            try (Stream<RolloutReport.Row> rows = rollout.rows(statusFilter, groupFilter, from, size)) {
                body.put("users", rows.map(GroupTotpAdminResource::asJson).toList());
            }
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
        StreamingOutput output = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(String.join(",", CSV_COLUMNS));
            writer.write("\r\n");
            try (Stream<RolloutReport.Row> rows = rollout.rows(statusFilter, groupFilter, from, size)) {
                for (RolloutReport.Row row : (Iterable<RolloutReport.Row>) rows::iterator) {
                    writer.write(asCsv(row));
                    writer.write("\r\n");
                }
            }
            writer.flush();
        };
        return Response.ok(output, CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"group-totp-" + realm.getName() + ".csv\"")
                .build();
    }

    /** JSON unless asked for CSV by name: Keycloak's admin API answers JSON to clients that accept anything. */
    private static boolean csvWanted(String format, HttpHeaders headers) {
        if (format != null) {
            if (format.equalsIgnoreCase("csv")) {
                return true;
            }
            if (format.equalsIgnoreCase("json")) {
                return false;
            }
            throw new BadRequestException("format must be csv or json");
        }
        return headers.getAcceptableMediaTypes().stream()
                .filter(type -> !type.isWildcardType())
                .findFirst()
                .map(type -> type.isCompatible(MediaType.valueOf(CSV)))
                .orElse(false);
    }

    /**
     * Removes the user's authenticator apps now, assigns {@code group-totp-reset} (a new phone at the next login),
     * and by default ends every session and offline token of the user, as Entra's "revoke MFA sessions" does. With
     * {@code resetPass=required} (the default) it answers a one-time pass, valid {@code resetPassHours}, that the next
     * login asks before a new phone can be set up; a new reset replaces it.
     */
    @POST
    @Path("users/{id}/reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reset(@PathParam("id") String id, ResetRequest request) {
        UserModel user = managedUser(id);
        String reason = reason(request == null ? null : request.reason);
        if (!RequiredActions.isEnabled(realm, RequiredActions.RESET)) {
            throw conflict("required_action_disabled", "The required action '" + RequiredActions.RESET + "' (Reset authenticator app) is not "
                    + "enabled in this realm, so the user would never be asked to set up a new phone. Enable it in "
                    + "Authentication > Required actions first. Nothing was changed.");
        }
        boolean signOut = request.signOut == null || request.signOut;
        // Every second factor goes, the recovery codes with it (a thief may hold the stolen phone's downloaded codes).
        List<CredentialModel> factors = user.credentialManager().getStoredCredentialsStream()
                .filter(c -> RESET_REMOVES.contains(c.getType())).toList();
        List<String> removed = factors.stream().map(CredentialModel::getId).toList();
        TotpCredentials.remove(user, factors, new EventBuilder(realm, session, session.getContext().getConnection()));
        ReminderRecord.clear(user);
        GroupTotpConfig config = StepConfigs.ofBrowserFlow(realm);
        Optional<OneTimePass.Issued> issued = PendingReset.assign(session, user, config.resetPassRequired(),
                config.resetPassHours(), LoginRecord.now());
        int sessions = signOut ? signOut(user) : 0;
        Optional<Instant> passExpires = issued.map(pass -> pass.record().expires());
        String pass = issued.map(OneTimePass.Issued::text).orElse(null);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", user.getId());
        result.put("requiredAction", RequiredActions.RESET);
        result.put("removedCredentials", removed);
        result.put("signedOut", signOut);
        result.put("endedSessions", sessions);
        result.put("reason", reason);
        result.put("oneTimePassExpires", passExpires.map(Instant::toString).orElse(null));
        // The admin who did it is in the event's auth details; the reason in its details and representation; that a
        // pass was issued and until when, never the pass itself.
        adminEvent.operation(OperationType.ACTION)
                .resourcePath("users", user.getId(), "group-totp-reset")
                .detail("reason", reason)
                .detail("removed_credentials", String.valueOf(removed.size()))
                .detail("signed_out", String.valueOf(signOut))
                .detail("one_time_pass", pass == null ? "none" : "issued")
                .detail("one_time_pass_expires", passExpires.map(Instant::toString).orElse(""))
                .representation(new LinkedHashMap<>(result))
                .success();
        // Shown once, here: only its hash is stored.
        result.put("oneTimePass", pass);
        return result;
    }

    /**
     * Gives back every slot of the user's limit on wrong codes: the way out when someone who knows the password filled
     * it to lock the owner out (their codes, recovery codes and one-time pass are refused while it is full). Recorded
     * as an admin event; answers how many wrong codes were counting.
     */
    @DELETE
    @Path("users/{id}/throttle")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> clearThrottle(@PathParam("id") String id) {
        UserModel user = managedUser(id);
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
        ReminderRecord.clear(user);

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

    /**
     * Sends the reminder e-mails that are due now, as the scheduled task does: {@code {"sent": n, "skipped": m}}, where
     * skipped users were due one but have no e-mail address, are disabled, or the mail server refused. With
     * {@code dryRun=true} nothing is sent or recorded, and {@code users} lists who would get one.
     */
    @POST
    @Path("reminders")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reminders(@QueryParam("dryRun") String dryRun) {
        auth.requireManage();
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw new BadRequestException("dryRun must be true or false");
        }
        boolean dry = "true".equals(dryRun);
        if (!dry && !Reminders.canMail(realm)) {
            throw conflict("smtp_not_configured", "The realm has no e-mail settings (Realm settings > Email), so no "
                    + "reminder can be sent. Nothing was sent or recorded.");
        }
        Reminders.Result result = Reminders.run(session, realm, session.getContext().getUri().getBaseUri(), dry);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sent", result.sent());
        body.put("skipped", result.skipped());
        if (dry) {
            body.put("dryRun", true);
            body.put("users", result.due().stream().map(recipient -> Map.of(
                    "id", recipient.id(),
                    "username", recipient.username(),
                    "deadline", LocalDate.ofInstant(recipient.deadline(), ZoneOffset.UTC).toString(),
                    "reminderDay", recipient.reminderDay())).toList());
            return body;
        }
        adminEvent.resource(ResourceType.REALM)
                .operation(OperationType.ACTION)
                .resourcePath("group-totp", "reminders")
                .detail("sent", String.valueOf(result.sent()))
                .detail("skipped", String.valueOf(result.skipped()))
                .representation(body)
                .success();
        return body;
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

    private static ClientErrorException conflict(String error, String message) {
        return new ClientErrorException(Response.status(Response.Status.CONFLICT)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", message))
                .build());
    }

    private static Map<String, Object> asJson(RolloutReport.Row row) {
        Map<String, Object> json = new LinkedHashMap<>();
        EnrolmentStatus status = row.status();
        json.put("username", row.username());
        json.put("id", row.id());
        json.put("enrolled", status.enrolled());
        json.put("graceStart", status.graceStart().map(Instant::toString).orElse(null));
        json.put("deadline", status.deadline().map(Instant::toString).orElse(null));
        json.put("daysLeft", status.daysLeft());
        json.put("overdue", status.overdue());
        json.put("graceGranted", status.graceGranted());
        return json;
    }

    private static String asCsv(RolloutReport.Row row) {
        EnrolmentStatus status = row.status();
        return csv(List.of(row.username(), row.id(), String.valueOf(status.enrolled()),
                status.graceStart().map(Instant::toString).orElse(""),
                status.deadline().map(Instant::toString).orElse(""),
                String.valueOf(status.daysLeft()), String.valueOf(status.overdue()), String.valueOf(status.graceGranted())));
    }

    private static String csv(List<String> values) {
        return values.stream().map(GroupTotpAdminResource::csvField).collect(Collectors.joining(","));
    }

    /** Quotes a field when needed, and defuses spreadsheet formulas (=, +, -, @) in user-controlled text. */
    private static String csvField(String value) {
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
