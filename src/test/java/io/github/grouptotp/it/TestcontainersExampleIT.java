package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * How another project's CI boots Keycloak with this JAR and the demo realm in Testcontainers, and logs in through
 * the step. It needs a Docker engine: where there is none (as on our own machines) it is reported as skipped,
 * never as passed; the rest of the suite boots the Keycloak distribution without Docker instead.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersExampleIT {

    @Container
    static final KeycloakContainer KEYCLOAK = new KeycloakContainer("quay.io/keycloak/keycloak:26.7.5")
            .withProviderLibsFrom(List.of(new File(System.getProperty("provider.jar", "target/keycloak-group-totp.jar"))))
            .withRealmImportFile("/realm-export.json");

    @Test
    void aStaffUserLogsInThroughTheStep() {
        String base = KEYCLOAK.getAuthServerUrl().replaceAll("/$", "");
        String realm = "group-totp-demo";
        String appUrl = base + "/realms/" + realm + "/account/";
        Browser browser = new Browser(url -> url.startsWith(appUrl));
        Page login = browser.get(base + "/realms/" + realm + "/protocol/openid-connect/auth?client_id=account-console"
                + "&redirect_uri=" + Browser.encode(appUrl)
                + "&response_type=code&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                + "&code_challenge_method=S256");

        Page next = browser.submit(login, "#kc-form-login", Map.of("username", "alice", "password", "demo-alice"));

        assertTrue(next.has("#group-totp-grace-form") || next.has("#group-totp-enrol-form"),
                "alice (/staff) meets the Group TOTP policy step: " + next);
    }
}
