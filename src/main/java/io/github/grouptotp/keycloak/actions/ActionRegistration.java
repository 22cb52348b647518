package io.github.grouptotp.keycloak.actions;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

import io.github.grouptotp.keycloak.RequiredActions;

/**
 * Registers, enabled, the two required actions the extension's guarantees rest on, as Keycloak registers its own in
 * a new realm: {@value RequiredActions#LOGIN_GUARD} (the LOGIN detail after other required actions, a fresh code
 * before account changes) and {@value RequiredActions#FORGET_BROWSERS}. In every realm at start-up and in each realm
 * created or imported later; an admin's choice to disable one is kept (the step then honours no remembered browser).
 * {@value RequiredActions#RESET} is left to the admin, who enables it when resets are to be used.
 */
final class ActionRegistration {

    private static final Logger LOG = Logger.getLogger(ActionRegistration.class);

    private record Action(String id, String name) {
    }

    private static final List<Action> ACTIONS = List.of(
            new Action(RequiredActions.LOGIN_GUARD, "Group TOTP: login record and code before account changes"),
            new Action(RequiredActions.FORGET_BROWSERS, "Forget remembered browsers"));

    private ActionRegistration() {
    }

    static void registerInEveryRealm(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                List<String> realms = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                        session -> session.realms().getRealmsStream().map(RealmModel::getId).toList());
                realms.forEach(id -> registerIn(factory, id));
            } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
                register(created.getCreatedRealm());
            }
        });
    }

    /** In its own transaction: another node starting at the same moment may register them first. */
    private static void registerIn(KeycloakSessionFactory factory, String realmId) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm != null) {
                    register(realm);
                }
            });
        } catch (RuntimeException registeredMeanwhile) {
            LOG.debugf("realm %s: required actions registered by another node meanwhile (%s)", realmId, registeredMeanwhile);
        }
    }

    private static void register(RealmModel realm) {
        for (Action action : ACTIONS) {
            if (realm.getRequiredActionProviderByAlias(action.id()) == null) {
                RequiredActionProviderModel model = new RequiredActionProviderModel();
                model.setAlias(action.id());
                model.setProviderId(action.id());
                model.setName(action.name());
                model.setEnabled(true);
                model.setDefaultAction(false);
                // Before the realm's others (Keycloak's own start at 10): the check comes before what it guards.
                model.setPriority(0);
                realm.addRequiredActionProvider(model);
                LOG.debugf("realm %s: required action %s registered", realm.getName(), action.id());
            }
        }
    }
}
