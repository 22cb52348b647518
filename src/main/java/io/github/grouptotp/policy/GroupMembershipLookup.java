package io.github.grouptotp.policy;

/** Answers group membership for the user being decided; implemented on top of Keycloak's group model. */
@FunctionalInterface
public interface GroupMembershipLookup {
    Membership membership(String groupPath);
}
