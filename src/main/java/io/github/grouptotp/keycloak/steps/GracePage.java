package io.github.grouptotp.keycloak.steps;

import java.util.Locale;

import org.jboss.logging.Logger;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.EnrolmentChoices;
import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.guard.LogOnce;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.LoginOutcome;

/**
 * The grace page ({@link LoginRecord.Stage#GRACE}): the deadline, "set it up now" or "log in without it for now". The
 * deadline is evaluated from the same source for the page and for a posted skip, so a skip after it is refused.
 */
final class GracePage {

    private static final Logger LOG = Logger.getLogger(GracePage.class);

    /** LOGIN_ERROR when "log in without it for now" is posted after the deadline. */
    static final String GRACE_OVER_EVENT_ERROR = "group_totp_grace_over";

    private GracePage() {
    }

    static StepResult show(LoginRequest request, GracePeriod.Status grace) {
        request.record().stage(LoginRecord.Stage.GRACE);
        Locale locale = request.session().getContext().resolveLocale(request.user());
        return new StepResult.Show(TotpPages.grace(request.form(), locale, grace.deadlineDate().orElseThrow(),
                grace.daysLeft(LoginRecord.now()), EnrolmentChoices.names(request)));
    }

    static StepResult answer(LoginRequest request) {
        if (!request.formHas(TotpPages.FIELD_SKIP)) {
            return request.formHas(TotpPages.FIELD_ENROL)
                    ? ChoosePage.start(request, null)
                    : show(request, status(request));
        }
        if (EnrolmentChoices.met(request)) {
            // Enrolled in another tab since the grace page was shown: the code is needed now.
            return ProofPages.login(request, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ALREADY_ENROLLED), null);
        }
        GracePeriod.Status grace = status(request);
        if (!grace.active()) {
            LOG.debugf("user %s: skip refused, grace period over", request.user().getId());
            request.loginErrorEvent().error(GRACE_OVER_EVENT_ERROR);
            return ChoosePage.start(request, new FormMessage(null, TotpPages.MSG_GRACE_OVER));
        }
        return new StepResult.Done(LoginOutcome.GRACE_SKIPPED, grace.deadline().orElseThrow(), null);
    }

    /** The user's grace period; stamps the grace start on first need and logs an unusable record (rate-limited). */
    static GracePeriod.Status status(LoginRequest request) {
        UserModel user = request.user();
        GracePeriod.Status grace = GracePeriod.evaluate(request.config(), GraceStore.read(user), LoginRecord.now());
        grace.startToStore().ifPresent(start -> GraceStore.stamp(user, start));
        grace.problem().ifPresent(problem -> {
            String realm = request.realm().getName();
            if (LogOnce.due(request.session(), "grace::" + request.realm().getId() + "::" + user.getId())) {
                LOG.errorf("User %s of realm '%s': %s, so the grace period counts as over. "
                        + "Grant a new one with POST /admin/realms/%s/group-totp/users/%s/grace.", user.getId(), realm, problem, realm, user.getId());
            }
        });
        return grace;
    }
}
