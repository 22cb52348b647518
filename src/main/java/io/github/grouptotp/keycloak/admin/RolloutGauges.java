package io.github.grouptotp.keycloak.admin;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TimerProvider;

import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.rollout.Rollout;

/**
 * The rollout summary's counts as gauges per realm, in Keycloak's own Micrometer registry:
 * {@code group_totp_required_users}, {@code group_totp_enrolled_users}, {@code group_totp_in_grace_users},
 * {@code group_totp_overdue_users}, {@code group_totp_optional_users}, {@code group_totp_exempt_users}, each with the
 * label {@code realm}. A scrape reads the last counts; they are computed every 5 minutes on each node (Keycloak's
 * timer) and whenever an admin reads the summary, never on a scrape.
 */
final class RolloutGauges implements ScheduledTask {

    static final long INTERVAL_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final Map<String, String> GAUGES = Map.of("required", "required", "enrolled", "enrolled",
            "inGrace", "in.grace", "overdue", "overdue", "optional", "optional", "exempt", "exempt");
    private static final Map<String, Map<String, Number>> COUNTS = new ConcurrentHashMap<>();
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    static void schedule(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class)
                .scheduleTask(new RolloutGauges(), INTERVAL_MILLIS, "group-totp-rollout-gauges"));
    }

    @Override
    public void run(KeycloakSession session) {
        // The realm list is read completely before the summaries run their own queries.
        List<RealmModel> realms = session.realms().getRealmsStream().toList();
        realms.stream()
                .filter(realm -> StepConfigs.browserStepConfig(realm).isPresent())
                .forEach(realm -> {
                    session.getContext().setRealm(realm);
                    update(realm.getName(), new Rollout(session, realm).summary());
                });
    }

    /** The counts of one realm's summary become its gauges' values. */
    static void update(String realm, Map<String, Object> summary) {
        Map<String, Number> counts = new HashMap<>();
        GAUGES.keySet().forEach(key -> counts.put(key, (Number) summary.get(key)));
        COUNTS.put(realm, counts);
        if (REGISTERED.add(realm)) {
            GAUGES.forEach((key, name) -> Gauge.builder("group.totp." + name + ".users",
                            () -> COUNTS.getOrDefault(realm, Map.of()).getOrDefault(key, 0))
                    .tag("realm", realm)
                    .description("Users of the realm that the Group TOTP policy counts as " + key)
                    .register(Metrics.globalRegistry));
        }
    }
}
