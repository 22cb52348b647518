package io.github.grouptotp.keycloak;

import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TimerProvider;

/**
 * One of the extension's tasks on Keycloak's timer, which runs it on every node: scheduled under its name when
 * Keycloak has started, and cancelled by that name when the provider that started it closes (Keycloak stops, or the
 * JAR is redeployed), so that no task of an old deployment keeps running. The code that owns a task makes its timer;
 * the admin resource's provider factory starts and stops them.
 */
public final class ExtensionTimer {

    private static final Logger LOG = Logger.getLogger(ExtensionTimer.class);

    private final String name;
    private final Consumer<TimerProvider> schedule;
    private volatile KeycloakSessionFactory started;

    public ExtensionTimer(String name, long intervalMillis, ScheduledTask task) {
        this.name = name;
        this.schedule = timer -> timer.scheduleTask(task, intervalMillis, name);
    }

    public void start(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> schedule.accept(session.getProvider(TimerProvider.class)));
        started = factory;
    }

    /** Cancels the task, if it was started; what is already running finishes. */
    public void stop() {
        KeycloakSessionFactory factory = started;
        started = null;
        if (factory == null) {
            return;
        }
        // Keycloak closes its provider factories in no fixed order: the timer may be closed already, which is fine.
        try (KeycloakSession session = factory.create()) {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.cancelTask(name);
            }
        } catch (RuntimeException closing) {
            LOG.debugf(closing, "Timer task %s not cancelled: Keycloak is stopping", name);
        }
    }
}
