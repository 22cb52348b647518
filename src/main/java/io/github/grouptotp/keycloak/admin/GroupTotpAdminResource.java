package io.github.grouptotp.keycloak.admin;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.remind.Reminders;
import io.github.grouptotp.keycloak.rollout.RolloutGauges;
import io.github.grouptotp.keycloak.rollout.RolloutReport;
import io.github.grouptotp.keycloak.rollout.RolloutSummary;
import io.github.grouptotp.keycloak.rollout.SummaryQueries;

/**
 * {@code /admin/realms/{realm}/group-totp}: the rollout summary and report (who the policy requires, enrolled or not,
 * grace and deadline) for admins with view-users; a recorded, reasoned reset and grace, the reminders and the
 * clearing of the wrong-code limit for admins with manage-users. Each call parses, authorises, calls the capability
 * and writes the answer and the admin event; every refusal is Keycloak's {@code {"error", "error_description"}}.
 */
public class GroupTotpAdminResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 10_000;

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
    @Produces({MediaType.APPLICATION_JSON, ReportWriter.CSV})
    public Response report(@QueryParam("first") Integer first, @QueryParam("max") Integer max,
                           @QueryParam("status") String status, @QueryParam("group") String group,
                           @QueryParam("format") String format, @Context HttpHeaders headers) {
        auth.requireView();
        boolean csv = csvWanted(format, headers);
        int from = first == null ? 0 : first;
        if (from < 0 || (max != null && (max < 1 || max > MAX_PAGE))) {
            throw AdminErrors.badRequest("first must be 0 or more and max from 1 to " + MAX_PAGE);
        }
        Optional<RolloutReport.Status> statusFilter = Optional.ofNullable(status).map(value -> RolloutReport.Status.of(value)
                .orElseThrow(() -> AdminErrors.badRequest("status must be one of enrolled, not_enrolled, grace, overdue")));
        RolloutReport report = RolloutReport.of(session, realm);
        Optional<Set<String>> groupFilter = Optional.ofNullable(group).map(path -> report.subtree(path)
                .orElseThrow(() -> AdminErrors.badRequest("No group " + path)));
        Optional<Integer> size = Optional.ofNullable(max).or(() -> csv ? Optional.empty() : Optional.of(DEFAULT_PAGE));
        if (csv) {
            return Response.ok(ReportWriter.csv(() -> report.rows(statusFilter, groupFilter, from, size)), ReportWriter.CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"group-totp-" + realm.getName() + ".csv\"")
                    .build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first", from);
        body.put("max", size.orElseThrow());
        try (Stream<RolloutReport.Row> rows = report.rows(statusFilter, groupFilter, from, size)) {
            body.put("users", rows.map(ReportWriter::json).toList());
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
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
            throw AdminErrors.badRequest("format must be csv or json");
        }
        return headers.getAcceptableMediaTypes().stream()
                .filter(type -> !type.isWildcardType())
                .findFirst()
                .map(type -> type.isCompatible(MediaType.valueOf(ReportWriter.CSV)))
                .orElse(false);
    }

    /** The calls on one user: reset, grace, clearing the wrong-code limit (manage-users, checked by each call). */
    @Path("users/{id}")
    public UserActions user(@PathParam("id") String id) {
        return new UserActions(session, realm, auth, adminEvent, id);
    }

    /**
     * Sends the reminder e-mails that are due now ({@link Reminders}), as the scheduled task does:
     * {@code {"sent": n, "skipped": m}}. With {@code dryRun=true} nothing is sent or recorded, and {@code users}
     * lists who would get one.
     */
    @POST
    @Path("reminders")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reminders(@QueryParam("dryRun") String dryRun) {
        auth.requireManage();
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw AdminErrors.badRequest("dryRun must be true or false");
        }
        boolean dry = "true".equals(dryRun);
        if (!dry && !Reminders.canMail(realm)) {
            throw AdminErrors.conflict("smtp_not_configured", "The realm has no e-mail settings (Realm settings > Email), so no "
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
}
