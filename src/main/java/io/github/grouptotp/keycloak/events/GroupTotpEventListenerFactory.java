package io.github.grouptotp.keycloak.events;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Registers {@link GroupTotpEventListener} as event listener {@value #PROVIDER_ID}. From Keycloak 26.1 it hears every
 * realm's events without configuration; on 26.0 add {@code group-totp} to the realm's event listeners
 * (Realm settings > Events > Event listeners).
 */
public class GroupTotpEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "group-totp";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new GroupTotpEventListener(session);
    }

    /** Keycloak 26.1 and later ask this (the 26.0 API this JAR is compiled against has no such method). */
    public boolean isGlobal() {
        return true;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
