package io.github.grouptotp.keycloak.reset;

import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.Config;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.BruteForceProtector;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRecord.Stage;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.enrolment.RecoveryCodes;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.LoginOutcome;

/**
 * "Reset authenticator app" ({@value #PROVIDER_ID}): the user's OTP credentials are removed and a new
 * authenticator must be set up before the login completes.
 *
 * <ul>
 *   <li>Assigned by an admin (stored on the user): the flow step does the reset itself in the next login, without
 *       the old code (the phone may be gone). This action only runs where a login passes no such step.</li>
 *   <li>Started by the user ({@code kc_action=group-totp-reset}): Keycloak re-authenticates first, and the current
 *       code is asked before anything is removed, unless this very login just verified one.</li>
 * </ul>
 * Either way the enrolment is the step's own ({@link TotpEnrolment}): if an authenticator was set up meanwhile, in
 * another window or login, its code is asked; a page left open never finishes the login without one. The current
 * code counts towards the same limits as at the step (5 per login, and the per-user limit).
 */
public class GroupTotpResetAction implements RequiredActionProvider, RequiredActionFactory {

    public static final String PROVIDER_ID = "group-totp-reset";

    /** Whether an admin assigned the reset to the user (stored on the user, not only this login). */
    public static boolean isAssigned(UserModel user) {
        return user.getRequiredActionsStream().anyMatch(PROVIDER_ID::equals);
    }

    public static boolean isEnabled(RealmModel realm) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(PROVIDER_ID);
        return action != null && action.isEnabled();
    }

    /**
     * The reset an admin assigned is done (a new authenticator was stored): it is taken off the user, with the
     * event Keycloak gives a completed required action, and its one-time pass is spent.
     */
    public static void completed(UserModel user, EventBuilder loginEvent) {
        OneTimePass.remove(user);
        if (isAssigned(user)) {
            user.removeRequiredAction(PROVIDER_ID);
            loginEvent.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                    .detail(Details.CUSTOM_REQUIRED_ACTION, PROVIDER_ID).success();
        }
    }

    /**
     * Never triggers the reset; it re-applies the flow step's LOGIN event details. Keycloak calls this in every
     * request that may finish the login, with that request's event, so a login that ends after other required
     * actions still records how the step let the user through.
     */
    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        LoginRecord.of(context.getAuthenticationSession()).applyOutcome(context.getEvent());
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        LoginRequest request = LoginRequest.of(context);
        if (request.record().wrongCodeLimitReached()) {
            context.challenge(TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES));
        } else if (needsCurrentCode(request)) {
            request.record().stage(Stage.CURRENT_CODE);
            context.challenge(currentCodePage(context, null));
        } else {
            Optional<Response> pass = isAssigned(context.getUser())
                    ? ResetPassGate.challenge(request, StepConfigs.ofBrowserFlow(context.getRealm()))
                    : Optional.empty();
            if (pass.isPresent()) {
                context.challenge(pass.get());
                return;
            }
            TotpCredentials.removeAll(context.getUser(), context.getEvent());
            context.challenge(TotpEnrolment.begin(request, LoginOutcome.RESET));
        }
    }

    @Override
    public void processAction(RequiredActionContext context) {
        LoginRequest request = LoginRequest.of(context);
        LoginRecord record = request.record();
        Stage stage = record.stage().orElse(null);
        if (record.wrongCodeLimitReached()) {
            context.challenge(TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES));
        } else if (stage == Stage.CURRENT_CODE || stage == Stage.CODE) {
            checkCode(context, request, stage);
        } else if (stage == Stage.RESET_PASS) {
            context.challenge(ResetPassGate.answer(request));
        } else if (stage == Stage.ENROL && TotpEnrolment.inProgress(request)) {
            confirmNewAuthenticator(context, request);
        } else if (stage == Stage.RECOVERY_CODES) {
            if (RecoveryCodes.saveConfirmed(request)) {
                finish(context, request);
            } else {
                context.challenge(RecoveryCodes.page(request, new FormMessage(TotpPages.FIELD_CODES_SAVED, TotpPages.MSG_CODES_NOT_SAVED)));
            }
        } else {
            requiredActionChallenge(context);
        }
    }

    /** Only the user-started reset asks the current code, and not twice in one login. */
    private static boolean needsCurrentCode(LoginRequest request) {
        return !isAssigned(request.user()) && !request.record().codeVerifiedInThisLogin()
                && TotpCredentials.isEnrolled(request.user());
    }

    /**
     * The current code before a user-started reset ({@link Stage#CURRENT_CODE}), or the code of an authenticator
     * set up meanwhile ({@link Stage#CODE}), which completes the reset: the user has a new one.
     */
    private void checkCode(RequiredActionContext context, LoginRequest request, Stage stage) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        String lockError = AuthenticatorUtils.getDisabledByBruteForceEventError(protector, session, realm, user);
        if (lockError != null) {
            loginError(context, lockError);
            String message = Errors.USER_TEMPORARILY_DISABLED.equals(lockError)
                    ? TotpPages.MSG_LOCKED_TEMPORARILY : TotpPages.MSG_LOCKED_PERMANENTLY;
            context.challenge(codePage(context, stage, new FormMessage(TotpPages.FIELD_OTP, message)));
            return;
        }
        TotpCredentials.Check check = TotpCredentials.verify(session, realm, user, request.formValue(TotpPages.FIELD_OTP));
        switch (check.outcome()) {
            case MISSING, MALFORMED -> context.challenge(codePage(context, stage, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            case THROTTLED -> {
                loginError(context, LoginRecord.THROTTLED_EVENT_ERROR);
                context.challenge(codePage(context, stage, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            }
            case INVALID -> {
                loginError(context, Errors.INVALID_USER_CREDENTIALS);
                KeycloakApi.failedLogin(protector, realm, user, context.getConnection(), context.getUriInfo(), OTPCredentialModel.TYPE);
                boolean limitReached = request.record().addWrongCode();
                context.challenge(limitReached
                        ? TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES)
                        : codePage(context, stage, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            }
            default -> {
                request.record().codeVerified();
                if (stage == Stage.CODE) {
                    finish(context, request);
                } else {
                    TotpCredentials.removeAll(user, context.getEvent());
                    context.challenge(TotpEnrolment.begin(request, LoginOutcome.RESET));
                }
            }
        }
    }

    private void confirmNewAuthenticator(RequiredActionContext context, LoginRequest request) {
        TotpCredentials.Check check = TotpEnrolment.confirm(request);
        switch (check.outcome()) {
            case ALREADY_ENROLLED -> {
                request.record().stage(Stage.CODE);
                context.challenge(codePage(context, Stage.CODE, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            }
            case VALID -> {
                OneTimePass.remove(context.getUser());
                Optional<Response> recoveryCodes = TotpEnrolment.afterEnrolment(request,
                        StepConfigs.ofBrowserFlow(context.getRealm()), check.credentialId());
                if (recoveryCodes.isPresent()) {
                    context.challenge(recoveryCodes.get());
                } else {
                    finish(context, request);
                }
            }
            default -> context.challenge(TotpEnrolment.page(request, check.fieldError(TotpPages.MSG_ENROL_CODE_INVALID)));
        }
    }

    private static void finish(RequiredActionContext context, LoginRequest request) {
        TotpEnrolment.end(request);
        context.success();
    }

    /** Refused codes are LOGIN_ERROR events here too, as at the step. */
    private static void loginError(RequiredActionContext context, String error) {
        context.getEvent().clone().event(EventType.LOGIN).user(context.getUser()).error(error);
    }

    private static Response codePage(RequiredActionContext context, Stage stage, FormMessage message) {
        return stage == Stage.CURRENT_CODE ? currentCodePage(context, message) : TotpPages.code(context.form(), false, message);
    }

    private static Response currentCodePage(RequiredActionContext context, FormMessage message) {
        LoginFormsProvider form = context.form().setInfo(TotpPages.MSG_RESET_CONFIRM_CODE);
        return TotpPages.code(form, false, message);
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /** A user-started reset always re-authenticates first: Keycloak 26.0 to 26.2 ask this method ... */
    @Override
    public int getMaxAuthAge() {
        return 0;
    }

    /** ... and Keycloak 26.3 and later this one (not in the 26.0 API this JAR is compiled against). */
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
