package io.github.grouptotp.keycloak.flow;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.credential.OTPCredentialModel;

/** Marks the step successful with the OTP credential, so Keycloak knows which credential this login used. */
final class FlowSuccess {

    private FlowSuccess() {
    }

    static void withOtp(AuthenticationFlowContext context) {
        context.success(OTPCredentialModel.TYPE);
    }
}
