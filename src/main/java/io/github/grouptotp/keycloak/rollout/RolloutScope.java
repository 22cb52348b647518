package io.github.grouptotp.keycloak.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * What the summary and the report of one realm read with: the settings of the realm's browser flow step, the
 * configured groups, the required users' query, Keycloak's own tables and one reading of the clock. Group
 * memberships that a user federation (e.g. an LDAP group mapper) keeps outside Keycloak's database are not seen.
 */
record RolloutScope(RealmModel realm, GroupTotpConfig config, EntityManager em, Instant now, GroupSubtrees groups,
                    RequiredUsers users) {

    static RolloutScope of(KeycloakSession session, RealmModel realm) {
        GroupTotpConfig config = StepConfigs.ofBrowserFlow(realm);
        GroupSubtrees groups = new GroupSubtrees(session, realm);
        return new RolloutScope(realm, config, session.getProvider(JpaConnectionProvider.class).getEntityManager(),
                LoginRecord.now(), groups, new RequiredUsers(groups, config));
    }

    /** Problems an admin should fix: unusable settings and groups that do not exist. */
    List<String> problems() {
        List<String> problems = new ArrayList<>(config.problems());
        users.unknownGroups().ifPresent(problems::add);
        return problems;
    }
}
