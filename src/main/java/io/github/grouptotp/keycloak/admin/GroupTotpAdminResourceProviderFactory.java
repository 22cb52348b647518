package io.github.grouptotp.keycloak.admin;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

import io.github.grouptotp.keycloak.ExtensionTimer;
import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.remind.ReminderTask;
import io.github.grouptotp.keycloak.rollout.RolloutGauges;

/**
 * Mounts {@link GroupTotpAdminResource} at {@code /admin/realms/{realm}/group-totp}, and, as the extension's one
 * provider with a lifecycle of its own, starts the timers of the rollout gauges and of the reminder e-mails once
 * Keycloak has started and cancels them when it closes. Each timer is made by the code that owns its task; the
 * reminders' interval is this provider's option {@code reminder-interval-seconds} (default 3600), e.g.
 * {@code --spi-admin-realm-restapi-extension-group-totp-reminder-interval-seconds=600}.
 */
public class GroupTotpAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {

    public static final String PROVIDER_ID = "group-totp";

    private static final AdminRealmResourceProvider PROVIDER = KeycloakApi.adminResourceProvider(GroupTotpAdminResource::new);

    private List<ExtensionTimer> timers = List.of();

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
        timers = List.of(RolloutGauges.timer(), ReminderTask.timer(config));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        timers.forEach(timer -> timer.start(factory));
    }

    @Override
    public void close() {
        timers.forEach(ExtensionTimer::stop);
    }
}
