package io.github.grouptotp.keycloak;

import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/** The extension's required actions, by id, and whether a realm has one enabled. */
public final class RequiredActions {

    /** An admin's reset of the user's second factor (assigned by the admin resource or by hand). */
    public static final String RESET = "group-totp-reset";
    /**
     * Registered in every realm by the extension: carries the step's LOGIN detail to a login that ends after other
     * required actions, and asks a fresh code before an application-initiated action in a login that gave none.
     */
    public static final String LOGIN_GUARD = "group-totp-login-guard";
    /** Registered in every realm by the extension: a user forgets every browser remembered for them. */
    public static final String FORGET_BROWSERS = "group-totp-forget-browsers";

    private RequiredActions() {
    }

    public static boolean isEnabled(RealmModel realm, String id) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(id);
        return action != null && action.isEnabled();
    }
}
