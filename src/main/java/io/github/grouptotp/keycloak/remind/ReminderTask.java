package io.github.grouptotp.keycloak.remind;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

import io.github.grouptotp.keycloak.ExtensionTimer;
import io.github.grouptotp.keycloak.StepConfigs;

/**
 * Sends the reminders that are due, every {@code reminder-interval-seconds} (default an hour), on Keycloak's timer.
 * Every node runs it; a realm's run holds a cluster-wide lock (Keycloak's cluster provider), so one node at a time
 * reminds a realm's users, and the per-user records of {@link Reminders} keep a later run on another node from
 * sending anything twice.
 */
public final class ReminderTask implements ScheduledTask {

    public static final long DEFAULT_INTERVAL_SECONDS = 3600;
    /**
     * The interval's option, in the scope of the admin resource's provider that starts this timer:
     * {@code --spi-admin-realm-restapi-extension-group-totp-reminder-interval-seconds}.
     */
    static final String INTERVAL_OPTION = "reminderIntervalSeconds";
    private static final Logger LOG = Logger.getLogger(ReminderTask.class);
    /** Outside a request Keycloak knows its public URL only from its hostname setting or the realm's frontend URL. */
    private static final URI UNKNOWN_BASE = URI.create("http://group-totp-reminders.invalid/");
    private static final int REALM_LOCK_SECONDS = 1800;
    /** What keeps a realm from being reminded is said once per node start: reminders are on by default, SMTP may never be. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ReminderTask() {
    }

    /**
     * The timer that sends the reminders, every {@code reminder-interval-seconds} of {@code config} (a whole number of
     * 1 or more; anything else is logged and means the default, an hour).
     */
    public static ExtensionTimer timer(Config.Scope config) {
        return new ExtensionTimer("group-totp-reminders", intervalSeconds(config.get(INTERVAL_OPTION)) * 1000, new ReminderTask());
    }

    static long intervalSeconds(String option) {
        if (option == null || option.isBlank()) {
            return DEFAULT_INTERVAL_SECONDS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(option.trim());
        } catch (NumberFormatException notANumber) {
            seconds = 0;
        }
        if (seconds < 1) {
            LOG.errorf("reminder-interval-seconds '%s' is not a whole number of seconds of 1 or more; reminders are sent "
                    + "every %d seconds", option, DEFAULT_INTERVAL_SECONDS);
            return DEFAULT_INTERVAL_SECONDS;
        }
        return seconds;
    }

    @Override
    public void run(KeycloakSession session) {
        session.getContext().setHttpRequest(new BackgroundRequest(UNKNOWN_BASE));
        List<String> realmIds = session.realms().getRealmsStream()
                .filter(realm -> StepConfigs.browserStepConfig(realm).isPresent())
                .map(RealmModel::getId)
                .toList();
        for (String realmId : realmIds) {
            ExecutionResult<Void> result = session.getProvider(ClusterProvider.class).executeIfNotExecuted(
                    "group-totp-reminders::" + realmId, REALM_LOCK_SECONDS, () -> {
                        remind(session.getKeycloakSessionFactory(), realmId);
                        return null;
                    });
            if (!result.isExecuted()) {
                LOG.debugf("Reminders of realm %s are being sent by another node", realmId);
            }
        }
    }

    /** One realm's run, in a transaction of its own: what one realm does wrong leaves the others alone. */
    private static void remind(KeycloakSessionFactory factory, String realmId) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                session.getContext().setHttpRequest(new BackgroundRequest(UNKNOWN_BASE));
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm == null || StepConfigs.ofBrowserFlow(realm).reminderDays().isEmpty()) {
                    return;
                }
                session.getContext().setRealm(realm);
                if (!Reminders.canMail(realm)) {
                    if (WARNED.add("no-smtp::" + realmId)) {
                        LOG.warnf("Realm %s has no e-mail settings (Realm settings > Email), so no reminder e-mails are sent; "
                                + "set the step's reminderDays empty to say that none are wanted", realm.getName());
                    }
                    return;
                }
                URI base = session.getContext().getUri().getBaseUri();
                if (UNKNOWN_BASE.getHost().equals(base.getHost())) {
                    if (WARNED.add("no-url::" + realmId)) {
                        LOG.warnf("Realm %s: reminders are not sent on schedule because Keycloak does not know its public URL "
                                + "outside a request, for the link in the mail. Set Keycloak's hostname option or the realm's "
                                + "Frontend URL; POST .../group-totp/reminders sends them meanwhile.", realm.getName());
                    }
                    return;
                }
                Reminders.Result result = Reminders.run(session, realm, base, false);
                if (result.sent() > 0 || result.skipped() > 0) {
                    LOG.infof("Realm %s: %d reminder e-mails sent, %d due but not sent", realm.getName(), result.sent(), result.skipped());
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reminders of realm %s failed; the next run tries again", realmId);
        }
    }
}
