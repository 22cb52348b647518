package io.github.grouptotp.keycloak.admin;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.remind.ReminderTask;

/**
 * Mounts {@link GroupTotpAdminResource} at {@code /admin/realms/{realm}/group-totp}, and starts the extension's
 * timers: the rollout gauges and the reminder e-mails. The reminders' interval is this provider's option
 * {@code reminder-interval-seconds} (default 3600), e.g.
 * {@code --spi-admin-realm-restapi-extension-group-totp-reminder-interval-seconds=600}.
 */
public class GroupTotpAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {

    public static final String PROVIDER_ID = "group-totp";
    static final String REMINDER_INTERVAL = "reminderIntervalSeconds";

    private static final Logger LOG = Logger.getLogger(GroupTotpAdminResourceProviderFactory.class);

    private static final AdminRealmResourceProvider PROVIDER = KeycloakApi.adminResourceProvider(GroupTotpAdminResource::new);

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    private long reminderIntervalSeconds = ReminderTask.DEFAULT_INTERVAL_SECONDS;

    @Override
    public void init(Config.Scope config) {
        String interval = config.get(REMINDER_INTERVAL);
        if (interval == null || interval.isBlank()) {
            return;
        }
        try {
            reminderIntervalSeconds = Long.parseLong(interval.trim());
        } catch (NumberFormatException notANumber) {
            reminderIntervalSeconds = 0;
        }
        if (reminderIntervalSeconds < 1) {
            LOG.errorf("reminder-interval-seconds '%s' is not a whole number of seconds of 1 or more; reminders are sent "
                    + "every %d seconds", interval, ReminderTask.DEFAULT_INTERVAL_SECONDS);
            reminderIntervalSeconds = ReminderTask.DEFAULT_INTERVAL_SECONDS;
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        RolloutGauges.schedule(factory);
        ReminderTask.schedule(factory, reminderIntervalSeconds);
    }

    @Override
    public void close() {
    }
}
