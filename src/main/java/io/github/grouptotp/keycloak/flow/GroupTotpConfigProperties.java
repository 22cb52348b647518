package io.github.grouptotp.keycloak.flow;

import java.util.List;
import java.util.stream.Stream;

import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.SecondFactor;

/**
 * The admin-console form of the step. Keys and defaults come from {@link GroupTotpConfig}. Numbers are text fields:
 * Keycloak 26.0 has no integer type for config properties, and the values are checked anyway.
 *
 * <p>Group lists are multivalued strings of group paths: the console's group picker selects exactly one
 * group, and organisations need several per list.
 */
final class GroupTotpConfigProperties {

    /** Who must use TOTP: shared by the browser step and the direct-grant step. */
    static final List<ProviderConfigProperty> GROUP_PROPERTIES = ProviderConfigurationBuilder.create()
            .property()
            .name(GroupTotpConfig.REQUIRED_GROUPS)
            .label("Required groups")
            .helpText("Paths of groups whose members must use an authenticator app, e.g. /staff. "
                    + "Subgroups count. A path that names no group makes everyone outside the optional "
                    + "and exempt groups required, and is logged as an error.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue(GroupTotpConfig.DEFAULT_REQUIRED_GROUPS)
            .add()
            .property()
            .name(GroupTotpConfig.OPTIONAL_GROUPS)
            .label("Optional groups")
            .helpText("Paths of groups whose members are asked for a code only if they set up an app, "
                    + "e.g. /extranet. Users in no listed group are treated the same way.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue(GroupTotpConfig.DEFAULT_OPTIONAL_GROUPS)
            .add()
            .property()
            .name(GroupTotpConfig.EXEMPT_GROUPS)
            .label("Exempt groups")
            .helpText("Paths of groups whose members are never forced to set up an app, even if they are "
                    + "also in a required group (e.g. users without a smartphone). Members who did set "
                    + "one up are still asked for a code.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue(GroupTotpConfig.DEFAULT_EXEMPT_GROUPS)
            .add()
            .property()
            .name(GroupTotpConfig.PHISHING_RESISTANT_GROUPS)
            .label("Phishing-resistant groups")
            .helpText("Paths of groups whose members must use a security key or a passkey: an authenticator app does "
                    + "not satisfy them (they are still asked for it while they have one). Subgroups count; members "
                    + "are required like those of a required group, unless exempt. A path that names no group makes "
                    + "everyone outside the optional and exempt groups such a member, and is logged as an error.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .defaultValue(GroupTotpConfig.DEFAULT_PHISHING_RESISTANT_GROUPS)
            .add()
            .property()
            .name(GroupTotpConfig.ACCEPTED_FACTORS)
            .label("Accepted second factors")
            .helpText("Which second factors count: otp (an authenticator app), webauthn (a security key) and passkey. "
                    + "Users who have none of them are not enrolled, and are offered only these to set up. Empty "
                    + "accepts all three; if no value names a factor, only webauthn and passkey count (logged as an error).")
            .type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE)
            .options(SecondFactor.OTP.configName(), SecondFactor.WEBAUTHN.configName(), SecondFactor.PASSKEY.configName())
            .defaultValue(SecondFactor.OTP.configName() + "##" + SecondFactor.WEBAUTHN.configName() + "##" + SecondFactor.PASSKEY.configName())
            .add()
            .build();

    /** The browser step's form: the groups, then what only a browser has (remembered browsers, grace, recovery). */
    static final List<ProviderConfigProperty> PROPERTIES = Stream.concat(GROUP_PROPERTIES.stream(), ProviderConfigurationBuilder.create()
            .property()
            .name(GroupTotpConfig.REMEMBER_HOURS)
            .label("Remember browser (hours)")
            .helpText("After a correct code, do not ask again in the same browser for this many hours "
                    + "(whole hours, 0 to " + GroupTotpConfig.MAX_REMEMBER_HOURS + "; 0 asks at every login). "
                    + "Lowering it applies at once to browsers remembered earlier. Any other value is treated "
                    + "as 0 and logged as an error.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(GroupTotpConfig.DEFAULT_REMEMBER_HOURS))
            .add()
            .property()
            .name(GroupTotpConfig.GRACE_DAYS)
            .label("Grace period (days)")
            .helpText("Days during which a required user who has not set up an app may still log in without it, "
                    + "counted per user from the first login at which this applied (kept out of the user's reach; "
                    + "admins grant a new one through the extension's admin API). 0 forces set-up at once. Whole days, 0 to "
                    + GroupTotpConfig.MAX_GRACE_DAYS + "; any other value means no grace and is logged as an error.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(GroupTotpConfig.DEFAULT_GRACE_DAYS))
            .add()
            .property()
            .name(GroupTotpConfig.ENFORCEMENT_DATE)
            .label("Enforcement date (yyyy-MM-dd, UTC)")
            .helpText("Optional. If set, set-up is forced for everyone from this date (00:00 UTC) instead of "
                    + "counting grace days per user; users first seen after it get no grace. A value that is not "
                    + "a date means no grace and is logged as an error.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("")
            .add()
            .property()
            .name(GroupTotpConfig.RECOVERY_CODES)
            .label("Recovery codes")
            .helpText("Right after a user sets up an authenticator app, show Keycloak's recovery codes to save, "
                    + "once. A recovery code completes one login and is followed by setting up a new phone.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(String.valueOf(GroupTotpConfig.DEFAULT_RECOVERY_CODES))
            .add()
            .property()
            .name(GroupTotpConfig.REMINDER_DAYS)
            .label("Reminder e-mails (days before the deadline)")
            .helpText("Days before their deadline on which required users who have not set up an app yet get a "
                    + "reminder by e-mail (the realm's e-mail settings), e.g. 7,1. Whole days from 1 to "
                    + GroupTotpConfig.MAX_GRACE_DAYS + ", comma-separated; empty sends none. Any other value sends "
                    + "none and is logged as an error.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(GroupTotpConfig.DEFAULT_REMINDER_DAYS)
            .add()
            .property()
            .name(GroupTotpConfig.RESET_PASS)
            .label("One-time pass after a reset")
            .helpText("required: a reset through the extension's admin API answers a one-time pass for the help desk "
                    + "to read to the user after checking who is asking; the next login asks it before a new phone can "
                    + "be set up, so the password alone never does. off: no pass, as before. Any other value means "
                    + "required and is logged as an error.")
            .type(ProviderConfigProperty.LIST_TYPE)
            .options(GroupTotpConfig.RESET_PASS_REQUIRED, GroupTotpConfig.RESET_PASS_OFF)
            .defaultValue(GroupTotpConfig.RESET_PASS_REQUIRED)
            .add()
            .property()
            .name(GroupTotpConfig.RESET_PASS_HOURS)
            .label("One-time pass valid (hours)")
            .helpText("Hours for which the one-time pass of a reset is valid, 1 to " + GroupTotpConfig.MAX_RESET_PASS_HOURS
                    + "; any other value means " + GroupTotpConfig.DEFAULT_RESET_PASS_HOURS + " and is logged as an error.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(GroupTotpConfig.DEFAULT_RESET_PASS_HOURS))
            .add()
            .build().stream()).toList();

    private GroupTotpConfigProperties() {
    }
}
