package io.github.grouptotp.keycloak;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.WebAuthnAuthenticatorFactory;
import org.keycloak.authentication.authenticators.browser.WebAuthnPasswordlessAuthenticatorFactory;
import org.keycloak.common.ClientConnection;
import org.keycloak.common.Version;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.JsonSerialization;

import io.github.grouptotp.policy.EarlierFactor;

/**
 * The few Keycloak calls whose signatures differ between the supported Keycloak 26 releases (26.0 to 26.7), chosen
 * once at start-up; everything else the extension calls is the same in all of them (the JAR is compiled against
 * 26.0). No fallback grants anything: where a call is missing, the older call with the same effect is used, and the
 * admin resource answers 503 rather than guess at permissions. Tested on the newest patch of every minor: 26.0.8,
 * 26.1.4, 26.2.5, 26.3.5, 26.4.7, 26.5.6, 26.6.4 and 26.7.5 (the README's table and the GitHub workflow's matrix).
 *
 * <ul>
 *   <li>{@code AuthenticationFlowContext.success(String credentialType)} (26.3+): records which credential the
 *       login used; before, {@code success()}.</li>
 *   <li>Which credentials this login already used: the authentication note {@code authn.credentials} (26.4+, a JSON
 *       list), {@code last.authn.credential} (26.3, the last one); in every release, the executions of Keycloak's
 *       WebAuthn steps that succeeded.</li>
 *   <li>{@code BruteForceProtector.failedLogin}: the protector counts OTP failures apart from password failures from
 *       26.6 on (keycloak#46164, PR #46168), with one {@code String authenticationCategory} in 26.6 and a
 *       {@code Set<String>} of categories from 26.7; 26.0 to 26.5 have it without a category.</li>
 *   <li>The direct grant answers a wrong password with 401 before 26.6 and 400 from 26.6 on; the direct-grant step
 *       answers every refusal the same way, so it must know which.</li>
 *   <li>The admin permission evaluator moved from {@code ...admin.permissions} to {@code ...admin.fgap} (26.3+), which
 *       changed the signature of {@code AdminRealmResourceProvider.getResource}.</li>
 * </ul>
 */
public final class KeycloakApi {

    private static final Logger LOG = Logger.getLogger(KeycloakApi.class);
    /** AuthenticationProcessor.AUTHN_CREDENTIALS (26.4+) and LAST_AUTHN_CREDENTIAL (26.3), missing from 26.0. */
    private static final String AUTHN_CREDENTIALS = "authn.credentials";
    private static final String LAST_AUTHN_CREDENTIAL = "last.authn.credential";

    /** The releases this JAR is built and tested for: every Keycloak 26 minor from 26.0 to 26.7. */
    static final Pattern SUPPORTED = Pattern.compile("26\\.[0-7]\\..*");

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
    private static final MethodHandle SUCCESS_WITH_CREDENTIAL = find(AuthenticationFlowContext.class, "success",
            MethodType.methodType(void.class, String.class));
    private static final MethodHandle FAILED_LOGIN_WITH_CATEGORIES = find(BruteForceProtector.class, "failedLogin",
            MethodType.methodType(void.class, RealmModel.class, UserModel.class, ClientConnection.class, UriInfo.class, Set.class));
    private static final MethodHandle FAILED_LOGIN_WITH_CATEGORY = find(BruteForceProtector.class, "failedLogin",
            MethodType.methodType(void.class, RealmModel.class, UserModel.class, ClientConnection.class, UriInfo.class, String.class));
    private static final MethodHandle FAILED_LOGIN = find(BruteForceProtector.class, "failedLogin",
            MethodType.methodType(void.class, RealmModel.class, UserModel.class, ClientConnection.class, UriInfo.class));
    private static final Optional<UserPermissionsApi> USER_PERMISSIONS =
            UserPermissionsApi.in("org.keycloak.services.resources.admin.fgap")
                    .or(() -> UserPermissionsApi.in("org.keycloak.services.resources.admin.permissions"));

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\..*");
    private static final int INVALID_GRANT_STATUS = invalidGrantStatus(Version.VERSION);

    private KeycloakApi() {
    }

    /** One line at start-up when the running Keycloak is not one of the releases this JAR is made for. */
    public static void checkVersion() {
        String version = Version.VERSION;
        if (version == null || !SUPPORTED.matcher(version).matches()) {
            LOG.warnf("keycloak-group-totp is made and tested for Keycloak 26.0 to 26.7; this server is Keycloak %s. "
                    + "It may work, but is not tested here.", version);
        }
        if (FAILED_LOGIN_WITH_CATEGORIES == null && FAILED_LOGIN_WITH_CATEGORY == null && FAILED_LOGIN == null) {
            LOG.errorf("keycloak-group-totp: this Keycloak (%s) has no BruteForceProtector.failedLogin it knows; "
                    + "a wrong code on the reset's code page fails the request", version);
        }
        if (USER_PERMISSIONS.isEmpty()) {
            LOG.errorf("keycloak-group-totp: this Keycloak (%s) has neither admin permission API it knows; "
                    + "its admin resource /admin/realms/{realm}/group-totp answers 503", version);
        }
    }

    /** The HTTP status of Keycloak's own "invalid_grant: Invalid user credentials" for a wrong password here. */
    public static int invalidGrantStatus() {
        return INVALID_GRANT_STATUS;
    }

    /** 400 from 26.6 on (and in any later release), 401 before. */
    static int invalidGrantStatus(String version) {
        Matcher release = RELEASE.matcher(version == null ? "" : version);
        if (!release.matches()) {
            return 400;
        }
        int major = Integer.parseInt(release.group(1));
        return major < 26 || (major == 26 && Integer.parseInt(release.group(2)) < 6) ? 401 : 400;
    }

    /** The step succeeded with this credential (so Keycloak knows, where it can, which credential the login used). */
    public static void success(AuthenticationFlowContext context, String credentialType) {
        if (SUCCESS_WITH_CREDENTIAL == null) {
            context.success();
            return;
        }
        invoke(SUCCESS_WITH_CREDENTIAL, context, credentialType);
    }

    /**
     * The credential types Keycloak's own steps checked so far in this login, as far as the release tells: read from
     * server-side notes and execution states only, never from anything the browser sent.
     */
    public static Set<String> credentialTypesUsed(AuthenticationSessionModel authSession, RealmModel realm) {
        Set<String> types = new HashSet<>();
        String used = authSession.getAuthNote(AUTHN_CREDENTIALS);
        if (used != null) {
            try {
                types.addAll(Arrays.asList(JsonSerialization.readValue(used, String[].class)));
            } catch (IOException unreadable) {
                LOG.debugf("unreadable note %s: counted as no credential", AUTHN_CREDENTIALS);
            }
        }
        String last = authSession.getAuthNote(LAST_AUTHN_CREDENTIAL);
        if (last != null) {
            types.add(last);
        }
        authSession.getExecutionStatus().forEach((executionId, status) -> {
            AuthenticationExecutionModel execution = status == AuthenticationSessionModel.ExecutionStatus.SUCCESS
                    ? realm.getAuthenticationExecutionById(executionId) : null;
            if (execution == null) {
                return;
            }
            if (WebAuthnPasswordlessAuthenticatorFactory.PROVIDER_ID.equals(execution.getAuthenticator())) {
                types.add(EarlierFactor.PASSKEY_TYPE);
            } else if (WebAuthnAuthenticatorFactory.PROVIDER_ID.equals(execution.getAuthenticator())) {
                types.add(EarlierFactor.SECURITY_KEY_TYPE);
            }
        });
        return types;
    }

    /** A wrong code for Keycloak's brute-force protection, in the {@code category} of the step. */
    public static void failedLogin(BruteForceProtector protector, RealmModel realm, UserModel user, ClientConnection connection,
                                   UriInfo uriInfo, String category) {
        if (FAILED_LOGIN_WITH_CATEGORIES != null) {
            invoke(FAILED_LOGIN_WITH_CATEGORIES, protector, realm, user, connection, uriInfo, Set.of(category));
        } else if (FAILED_LOGIN_WITH_CATEGORY != null) {
            invoke(FAILED_LOGIN_WITH_CATEGORY, protector, realm, user, connection, uriInfo, category);
        } else {
            invoke(FAILED_LOGIN, protector, realm, user, connection, uriInfo);
        }
    }

    /** What the extension's admin resource checks; backed by whichever permission evaluator this Keycloak has. */
    public interface UserPermissions {
        void requireView();

        void requireManage();

        void requireManage(UserModel user);
    }

    /** Makes the admin resource from the arguments Keycloak passes to {@code AdminRealmResourceProvider.getResource}. */
    @FunctionalInterface
    public interface AdminResource {
        Object create(KeycloakSession session, RealmModel realm, UserPermissions permissions, AdminEventBuilder adminEvent);
    }

    /**
     * An {@link AdminRealmResourceProvider} for this Keycloak: its {@code getResource} takes the permission evaluator
     * of this release's package, so it is made at run time (a proxy of the interface as this Keycloak declares it).
     */
    public static AdminRealmResourceProvider adminResourceProvider(AdminResource resource) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getResource" -> {
                UserPermissionsApi api = USER_PERMISSIONS.orElseThrow(() ->
                        new ServiceUnavailableException("keycloak-group-totp does not know this Keycloak's admin permissions"));
                yield resource.create((KeycloakSession) args[0], (RealmModel) args[1], api.wrap(args[2]), (AdminEventBuilder) args[3]);
            }
            case "close" -> null;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "group-totp admin resource provider";
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (AdminRealmResourceProvider) Proxy.newProxyInstance(KeycloakApi.class.getClassLoader(),
                new Class<?>[] {AdminRealmResourceProvider.class}, handler);
    }

    /** The {@code users()} checks of one admin permission package. */
    private record UserPermissionsApi(MethodHandle users, MethodHandle requireView, MethodHandle requireManage,
                                      MethodHandle requireManageUser) {

        static Optional<UserPermissionsApi> in(String packageName) {
            try {
                ClassLoader loader = KeycloakApi.class.getClassLoader();
                Class<?> evaluator = Class.forName(packageName + ".AdminPermissionEvaluator", false, loader);
                Class<?> users = Class.forName(packageName + ".UserPermissionEvaluator", false, loader);
                return Optional.of(new UserPermissionsApi(
                        LOOKUP.findVirtual(evaluator, "users", MethodType.methodType(users)),
                        LOOKUP.findVirtual(users, "requireView", MethodType.methodType(void.class)),
                        LOOKUP.findVirtual(users, "requireManage", MethodType.methodType(void.class)),
                        LOOKUP.findVirtual(users, "requireManage", MethodType.methodType(void.class, UserModel.class))));
            } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
                return Optional.empty();
            }
        }

        UserPermissions wrap(Object evaluator) {
            Object users = invoke(this.users, evaluator);
            return new UserPermissions() {
                @Override
                public void requireView() {
                    invoke(requireView, users);
                }

                @Override
                public void requireManage() {
                    invoke(requireManage, users);
                }

                @Override
                public void requireManage(UserModel user) {
                    invoke(requireManageUser, users, user);
                }
            };
        }
    }

    private static MethodHandle find(Class<?> type, String name, MethodType signature) {
        try {
            return LOOKUP.findVirtual(type, name, signature);
        } catch (NoSuchMethodException | IllegalAccessException notInThisRelease) {
            return null;
        }
    }

    /** Calls through a handle, letting Keycloak's own exceptions (e.g. 403 from a permission check) through as they are. */
    private static Object invoke(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
