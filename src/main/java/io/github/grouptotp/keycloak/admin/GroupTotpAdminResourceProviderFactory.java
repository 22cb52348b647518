package io.github.grouptotp.keycloak.admin;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

import io.github.grouptotp.keycloak.KeycloakApi;

/** Mounts {@link GroupTotpAdminResource} at {@code /admin/realms/{realm}/group-totp}. */
public class GroupTotpAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {

    public static final String PROVIDER_ID = "group-totp";

    private static final AdminRealmResourceProvider PROVIDER = KeycloakApi.adminResourceProvider(GroupTotpAdminResource::new);

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
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
