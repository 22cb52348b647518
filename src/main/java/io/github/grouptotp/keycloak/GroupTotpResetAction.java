package io.github.grouptotp.keycloak;

import java.util.Set;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * "Reset authenticator app" ({@value #PROVIDER_ID}): the user's OTP credentials are removed and a new
 * authenticator must be enrolled before the login completes.
 *
 * <ul>
 *   <li>Assigned by an admin (stored on the user): no old code is asked, the phone may be gone. The flow step
 *       lets the user through to here.</li>
 *   <li>After a recovery code, in the same login (a note on the login session): no code is asked either.</li>
 *   <li>Started by the user ({@code kc_action}, application-initiated): Keycloak re-authenticates first, and the
 *       current code is asked before anything is removed, unless this very login just verified one.</li>
 * </ul>
 */
public class GroupTotpResetAction implements RequiredActionProvider, RequiredActionFactory {

    private static final Logger LOG = Logger.getLogger(GroupTotpResetAction.class);

    public static final String PROVIDER_ID = "group-totp-reset";

    /** Set by the flow step when a recovery code was used: the reset follows without asking a code. */
    static final String AFTER_RECOVERY_NOTE = "group-totp.reset-after-recovery";
    static final String STAGE_NOTE = "group-totp.reset-stage";
    static final String STAGE_CURRENT_CODE = "current-code";
    static final String STAGE_ENROL = "enrol";

    /** Whether an admin assigned the reset to the user and it will run: only then may the step skip the code. */
    static boolean isAssignedAndEnabled(RealmModel realm, UserModel user) {
        if (user.getRequiredActionsStream().noneMatch(PROVIDER_ID::equals)) {
            return false;
        }
        if (!isEnabled(realm)) {
            LOG.errorf("User %s has required action %s, but it is not enabled in realm '%s'; "
                    + "the user is asked for their code as usual", user.getId(), PROVIDER_ID, realm.getName());
            return false;
        }
        return true;
    }

    static boolean isEnabled(RealmModel realm) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(PROVIDER_ID);
        return action != null && action.isEnabled();
    }

    /**
     * Never triggers the reset; it re-applies the flow step's LOGIN event details. Keycloak calls this in every
     * request that may finish the login, with that request's event, so a login that ends after other required
     * actions (recovery codes, this reset) still records how the step let the user through.
     */
    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String outcome = authSession.getAuthNote(GroupTotpAuthenticator.OUTCOME_NOTE);
        if (outcome != null) {
            context.getEvent().detail(GroupTotpAuthenticator.EVENT_DETAIL, outcome);
        }
        String deadline = authSession.getAuthNote(GroupTotpAuthenticator.DEADLINE_NOTE);
        if (deadline != null) {
            context.getEvent().detail(GroupTotpAuthenticator.DEADLINE_EVENT_DETAIL, deadline);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (needsCurrentCode(context)) {
            context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_CURRENT_CODE);
            context.challenge(codePage(context, null));
        } else {
            startNewEnrolment(context, null);
        }
    }

    @Override
    public void processAction(RequiredActionContext context) {
        String stage = context.getAuthenticationSession().getAuthNote(STAGE_NOTE);
        if (STAGE_CURRENT_CODE.equals(stage)) {
            confirmCurrentCode(context);
        } else if (STAGE_ENROL.equals(stage)) {
            confirmNewAuthenticator(context);
        } else {
            requiredActionChallenge(context);
        }
    }

    /** Only the user-started reset asks the current code, and not twice in one login. */
    private static boolean needsCurrentCode(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean assignedByAdmin = context.getUser().getRequiredActionsStream().anyMatch(PROVIDER_ID::equals);
        boolean afterRecovery = authSession.getAuthNote(AFTER_RECOVERY_NOTE) != null;
        boolean codeVerifiedNow = authSession.getAuthNote(GroupTotpAuthenticator.CODE_VERIFIED_NOTE) != null;
        return !assignedByAdmin && !afterRecovery && !codeVerifiedNow && TotpCredentials.isEnrolled(context.getUser());
    }

    private void confirmCurrentCode(RequiredActionContext context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        String lockError = AuthenticatorUtils.getDisabledByBruteForceEventError(protector, session, realm, user);
        if (lockError != null) {
            context.getEvent().user(user).error(lockError);
            String message = Errors.USER_TEMPORARILY_DISABLED.equals(lockError)
                    ? TotpPages.MSG_LOCKED_TEMPORARILY : TotpPages.MSG_LOCKED_PERMANENTLY;
            context.challenge(codePage(context, new FormMessage(TotpPages.FIELD_OTP, message)));
            return;
        }
        TotpCredentials.Check check = TotpCredentials.verify(realm, user, formValue(context, TotpPages.FIELD_OTP));
        if (!check.valid()) {
            if (check.outcome() == TotpCredentials.Outcome.INVALID) {
                context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
                protector.failedLogin(realm, user, context.getConnection(), context.getUriInfo(), Set.of(OTPCredentialModel.TYPE));
            }
            context.challenge(codePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            return;
        }
        startNewEnrolment(context, null);
    }

    /** Removes the old authenticators (idempotent on reload) and shows a fresh QR code. */
    private static void startNewEnrolment(RequiredActionContext context, FormMessage message) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        TotpCredentials.removeAll(context.getUser(), context.getEvent());
        authSession.setAuthNote(STAGE_NOTE, STAGE_ENROL);
        TotpCredentials.enrolmentSecret(authSession);
        context.challenge(enrolPage(context, message));
    }

    private void confirmNewAuthenticator(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String secret = authSession.getAuthNote(TotpCredentials.ENROL_SECRET_NOTE);
        UserModel user = context.getUser();
        if (secret == null) {
            startNewEnrolment(context, null);
            return;
        }
        TotpCredentials.Check check = TotpCredentials.enrol(context.getSession(), context.getRealm(), user, secret,
                formValue(context, TotpPages.FIELD_OTP));
        if (check.outcome() == TotpCredentials.Outcome.ALREADY_ENROLLED) {
            // Enrolled in another window meanwhile: that one counts; never add a second authenticator.
            authSession.removeAuthNote(STAGE_NOTE);
            authSession.removeAuthNote(TotpCredentials.ENROL_SECRET_NOTE);
            context.success();
            return;
        }
        if (!check.valid()) {
            context.challenge(enrolPage(context, check.fieldError(TotpPages.MSG_ENROL_CODE_INVALID)));
            return;
        }
        authSession.removeAuthNote(STAGE_NOTE);
        authSession.removeAuthNote(TotpCredentials.ENROL_SECRET_NOTE);
        authSession.removeAuthNote(AFTER_RECOVERY_NOTE);
        TotpCredentials.recordEnrolment(context.getEvent(), user, check.credentialId());
        GroupTotpConfig config = StepConfigs.ofBrowserFlow(context.getRealm());
        RememberedBrowserCookie.issueIfEnabled(context.getSession(), context.getRealm(), user, check.credentialId(),
                config.rememberHours(), GroupTotpAuthenticator.now());
        if (config.recoveryCodes()) {
            RecoveryCodes.showNewCodes(context.getRealm(), authSession);
        }
        context.success();
    }

    private static Response codePage(RequiredActionContext context, FormMessage message) {
        LoginFormsProvider form = context.form().setInfo(TotpPages.MSG_RESET_CONFIRM_CODE);
        return TotpPages.code(form, false, message);
    }

    private static Response enrolPage(RequiredActionContext context, FormMessage message) {
        LoginFormsProvider form = context.form();
        if (message == null) {
            form.setInfo(TotpPages.MSG_RESET_INTRO);
        }
        return TotpPages.enrol(form, context.getSession(), context.getRealm(), context.getUser(),
                context.getUriInfo().getRequestUriBuilder(),
                context.getAuthenticationSession().getAuthNote(TotpCredentials.ENROL_SECRET_NOTE), message);
    }

    private static String formValue(RequiredActionContext context, String field) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        return form == null ? null : form.getFirst(field);
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /** A user-started reset always re-authenticates first, like a password change after a while. */
    @Override
    public int getMaxAuthAge(KeycloakSession session) {
        return 0;
    }

    @Override
    public String getDisplayText() {
        return "Reset authenticator app";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
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
