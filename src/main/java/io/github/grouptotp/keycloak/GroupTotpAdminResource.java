package io.github.grouptotp.keycloak;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.ws.rs.BadRequestException;
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

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.TotpMode;

/**
 * {@code /admin/realms/{realm}/group-totp}: the rollout report (who the policy requires, enrolled or not, grace
 * and deadline) for admins with view-users, and a recorded, reasoned reset for admins with manage-users.
 */
public class GroupTotpAdminResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 10_000;
    static final String CSV = "text/csv";
    private static final List<String> CSV_COLUMNS = List.of("username", "id", "enrolled", "graceStart", "deadline", "daysLeft", "overdue");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    GroupTotpAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.USER);
    }

    /** Body of a reset: why the help desk reset the user's authenticator. */
    public static class ResetRequest {
        public String reason;
    }

    @GET
    @Path("report")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reportJson(@QueryParam("first") Integer first, @QueryParam("max") Integer max) {
        auth.users().requireView();
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
        auth.users().requireView();
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

    @POST
    @Path("users/{id}/reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> reset(@PathParam("id") String id, ResetRequest request) {
        auth.users().requireManage();
        UserModel user = session.users().getUserById(realm, id);
        if (user == null) {
            throw new NotFoundException("User not found");
        }
        auth.users().requireManage(user);
        if (request == null || request.reason == null || request.reason.isBlank()) {
            throw new BadRequestException("A reason is required");
        }
        String reason = request.reason.strip();
        if (reason.length() > 1000) {
            throw new BadRequestException("The reason is longer than 1000 characters");
        }
        List<String> removed = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .map(credential -> credential.getId()).toList();
        removed.forEach(user.credentialManager()::removeStoredCredentialById);
        user.addRequiredAction(GroupTotpResetAction.PROVIDER_ID);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("userId", user.getId());
        result.put("requiredAction", GroupTotpResetAction.PROVIDER_ID);
        result.put("removedCredentials", removed);
        result.put("reason", reason);
        // The admin who did it is in the event's auth details; the reason in its details and representation.
        adminEvent.operation(OperationType.ACTION)
                .resourcePath("users", user.getId(), "group-totp-reset")
                .detail("reason", reason)
                .detail("removed_credentials", String.valueOf(removed.size()))
                .representation(result)
                .success();
        return result;
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
        Instant now = GroupTotpAuthenticator.now();
        return session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"), null, null)
                .filter(user -> policy.decide(groups.membershipsOf(user)).mode() == TotpMode.REQUIRED)
                .skip(page.first())
                .limit(page.max())
                .map(user -> new Row(user, EnrolmentStatus.of(config, TotpCredentials.isEnrolled(user),
                        user.getFirstAttribute(GracePeriod.START_ATTRIBUTE), now)));
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
                String.valueOf(status.overdue()));
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
