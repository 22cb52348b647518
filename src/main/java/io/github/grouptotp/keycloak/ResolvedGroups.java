package io.github.grouptotp.keycloak;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.grouptotp.policy.GroupMembershipLookup;
import io.github.grouptotp.policy.Membership;

/**
 * The configured group paths resolved to Keycloak groups, each looked up once per login, for the flow steps.
 * Subgroups count, as {@link UserModel#isMemberOf} does.
 */
public final class ResolvedGroups {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Map<String, Optional<GroupModel>> byPath = new HashMap<>();

    public ResolvedGroups(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public GroupMembershipLookup membershipsOf(UserModel user) {
        return path -> byPath
                .computeIfAbsent(path, p -> Optional.ofNullable(KeycloakModelUtils.findGroupByPath(session, realm, p)))
                .map(group -> user.isMemberOf(group) ? Membership.MEMBER : Membership.NOT_MEMBER)
                .orElse(Membership.UNKNOWN_GROUP);
    }
}
