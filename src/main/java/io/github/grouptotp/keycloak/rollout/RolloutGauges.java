package io.github.grouptotp.keycloak.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.timer.ScheduledTask;

import io.github.grouptotp.keycloak.ExtensionTimer;
import io.github.grouptotp.keycloak.StepConfigs;

/**
 * The rollout summary's counts as gauges per realm, in Keycloak's own Micrometer registry:
 * {@code group_totp_required_users}, {@code group_totp_enrolled_users}, {@code group_totp_in_grace_users},
 * {@code group_totp_overdue_users}, {@code group_totp_optional_users}, {@code group_totp_exempt_users}, each with the
 * label {@code realm}. A scrape reads the last counts; they are computed every 5 minutes on each node (Keycloak's
 * timer) and whenever an admin reads the summary, never on a scrape.
 */
public final class RolloutGauges implements ScheduledTask {

    static final long INTERVAL_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final List<Count> GAUGES = List.of(new Count("required", "required", RolloutSummary::required),
            new Count("enrolled", "enrolled", RolloutSummary::enrolled), new Count("inGrace", "in.grace", RolloutSummary::inGrace),
            new Count("overdue", "overdue", RolloutSummary::overdue), new Count("optional", "optional", RolloutSummary::optional),
            new Count("exempt", "exempt", RolloutSummary::exempt));
    private static final Map<String, RolloutSummary> COUNTS = new ConcurrentHashMap<>();
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();

    /** One of the summary's counts (its JSON key), and the gauge it goes under. */
    private record Count(String key, String gauge, ToLongFunction<RolloutSummary> value) {
    }

    private RolloutGauges() {
    }

    /** The timer that recomputes every realm's gauges. */
    public static ExtensionTimer timer() {
        return new ExtensionTimer("group-totp-rollout-gauges", INTERVAL_MILLIS, new RolloutGauges());
    }

    @Override
    public void run(KeycloakSession session) {
        // The realm list is read completely before the summaries run their own queries.
        List<RealmModel> realms = session.realms().getRealmsStream().toList();
        realms.stream()
                .filter(realm -> StepConfigs.browserStepConfig(realm).isPresent())
                .forEach(realm -> {
                    session.getContext().setRealm(realm);
                    update(realm.getName(), SummaryQueries.read(session, realm));
                });
    }

    /** The counts of one realm's summary become its gauges' values. */
    public static void update(String realm, RolloutSummary summary) {
        COUNTS.put(realm, summary);
        if (REGISTERED.add(realm)) {
            GAUGES.forEach(count -> Gauge.builder("group.totp." + count.gauge() + ".users",
                            () -> Optional.ofNullable(COUNTS.get(realm)).map(count.value()::applyAsLong).orElse(0L))
                    .tag("realm", realm)
                    .description("Users of the realm that the Group TOTP policy counts as " + count.key())
                    .register(Metrics.globalRegistry));
        }
    }
}
