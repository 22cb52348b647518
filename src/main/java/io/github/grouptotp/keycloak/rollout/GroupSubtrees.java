package io.github.grouptotp.keycloak.rollout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Configured group paths as the ids of each group and all its subgroups, the shape the queries need: a member of a
 * subgroup is a member of the group, as {@code UserModel.isMemberOf} answers at login.
 */
final class GroupSubtrees {

    /** Group trees are a few levels deep; the bound keeps a malformed tree from recursing forever. */
    private static final int MAX_DEPTH = 50;

    /** Some configured paths resolved: the ids of the groups that exist and their subgroups, and the paths that name none. */
    record Resolved(Set<String> ids, List<String> unknownPaths) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    GroupSubtrees(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The ids of the group at {@code path} and its subgroups, if it exists. */
    Optional<Set<String>> subtree(String path) {
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
        if (group == null) {
            return Optional.empty();
        }
        Set<String> ids = new HashSet<>();
        collect(group, ids, 0);
        return Optional.of(ids);
    }

    Resolved resolve(List<String> paths) {
        Set<String> ids = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String path : paths) {
            subtree(path).ifPresentOrElse(ids::addAll, () -> unknown.add(path));
        }
        return new Resolved(ids, unknown);
    }

    private static void collect(GroupModel group, Set<String> ids, int depth) {
        if (depth > MAX_DEPTH || !ids.add(group.getId())) {
            return;
        }
        group.getSubGroupsStream().forEach(child -> collect(child, ids, depth + 1));
    }
}
