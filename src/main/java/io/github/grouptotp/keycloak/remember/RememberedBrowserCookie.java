package io.github.grouptotp.keycloak.remember;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.NewCookie;

import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.utils.SecureContextResolver;

import io.github.grouptotp.policy.RememberedBrowser;
import io.github.grouptotp.policy.RememberedBrowserRules;
import io.github.grouptotp.policy.SecondFactor;

/**
 * The remembered-browser cookie: a JWT signed with the realm's keys ({@code session.tokens()}), one cookie per
 * user so that people sharing a browser keep their own state. It carries no secret and no code; whether it still
 * lets the user through is decided on every use by {@link RememberedBrowserRules}.
 */
public final class RememberedBrowserCookie {

    private static final Logger LOG = Logger.getLogger(RememberedBrowserCookie.class);

    static final String NAME_PREFIX = "GROUP_TOTP_REMEMBER_";
    static final String CREDENTIAL_CLAIM = "otp_credential";
    static final String CREDENTIALS_CLAIM = "credentials";

    private RememberedBrowserCookie() {
    }

    /**
     * A name per user and realm that does not show the user id: a hash of both. The realm id keeps users of two
     * realms apart even if a proxy rewrites paths.
     */
    static String name(RealmModel realm, UserModel user) {
        return NAME_PREFIX + hash(realm.getId() + "/" + user.getId());
    }

    /**
     * A fingerprint of the user's password and second factors: it changes when the password changes (by the user,
     * through "forgot password" or by an admin: Keycloak then stores it with a new creation time) and when an app, a
     * security key or a passkey is added or removed. A hash, so the cookie shows neither ids nor times. (Written as
     * before security keys counted for users who have none, so their remembered browsers outlive the upgrade.)
     */
    static String credentialsFingerprint(UserModel user) {
        String password = user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(c -> c.getId() + "@" + c.getCreatedDate())
                .sorted().collect(Collectors.joining(","));
        String otp = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .map(CredentialModel::getId)
                .sorted().collect(Collectors.joining(","));
        String webAuthn = user.credentialManager().getStoredCredentialsStream()
                .filter(c -> SecondFactor.ofCredentialType(c.getType()).filter(SecondFactor::phishingResistant).isPresent())
                .map(CredentialModel::getId)
                .sorted().collect(Collectors.joining(","));
        return hash("password:" + password + "|otp:" + otp + (webAuthn.isEmpty() ? "" : "|webauthn:" + webAuthn));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The claims of this user's cookie, if the request has one with a valid signature of this realm. */
    private static Optional<RememberedBrowser> read(KeycloakSession session, RealmModel realm, UserModel user) {
        Cookie cookie = session.getContext().getRequestHeaders().getCookies().get(name(realm, user));
        if (cookie == null) {
            return Optional.empty();
        }
        // decode returns null for a bad signature, a key of another realm or anything that is not a JWT.
        JsonWebToken token = session.tokens().decode(cookie.getValue(), JsonWebToken.class);
        if (token == null) {
            return Optional.of(new RememberedBrowser(null, null, null, null, null, null));
        }
        Object credentialId = token.getOtherClaims().get(CREDENTIAL_CLAIM);
        Object credentials = token.getOtherClaims().get(CREDENTIALS_CLAIM);
        return Optional.of(new RememberedBrowser(
                token.getType(),
                token.getIssuer(),
                token.getSubject(),
                credentialId instanceof String id ? id : null,
                token.getIat() == null ? null : Instant.ofEpochSecond(token.getIat()),
                credentials instanceof String fingerprint ? fingerprint : null));
    }

    /**
     * When the browser was remembered, if the request carries this user's cookie and every rule still lets it
     * through now ({@link RememberedBrowserRules}); empty otherwise. A refused cookie is logged at debug level,
     * without its value (it would let a log reader replay it).
     */
    public static Optional<Instant> rememberedSince(KeycloakSession session, RealmModel realm, UserModel user,
                                                    Set<String> factorCredentialIds, int rememberHours, Instant now) {
        if (rememberHours == 0) {
            return Optional.empty();
        }
        Optional<RememberedBrowser> cookie = read(session, realm, user);
        if (cookie.isEmpty()) {
            return Optional.empty();
        }
        RememberedBrowserRules.Expected expected = new RememberedBrowserRules.Expected(
                realm.getId(),
                user.getId(),
                factorCredentialIds,
                Instant.ofEpochSecond(session.users().getNotBeforeOfUser(realm, user)),
                Instant.ofEpochSecond(realm.getNotBefore()),
                Revocations.revokedBefore(user),
                credentialsFingerprint(user),
                rememberHours);
        Optional<String> rejection = RememberedBrowserRules.rejection(cookie.get(), expected, now);
        rejection.ifPresent(reason -> LOG.debugf("user %s: remembered-browser cookie ignored: %s", user.getId(), reason));
        return rejection.isEmpty() ? Optional.of(cookie.get().issuedAt()) : Optional.empty();
    }

    /** Remembers this browser for the user, for {@code rememberHours} from {@code now}; nothing if 0. */
    public static void issueIfEnabled(KeycloakSession session, RealmModel realm, UserModel user, String credentialId,
                               int rememberHours, Instant now) {
        if (rememberHours > 0 && credentialId != null) {
            issue(session, realm, user, credentialId, rememberHours, now);
        }
    }

    private static void issue(KeycloakSession session, RealmModel realm, UserModel user, String credentialId,
                      int rememberHours, Instant now) {
        Duration lifetime = Duration.ofHours(rememberHours);
        JsonWebToken token = new JsonWebToken()
                .type(RememberedBrowserRules.PURPOSE)
                .issuer(realm.getId())
                .subject(user.getId());
        token.iat(now.getEpochSecond());
        token.exp(now.plus(lifetime).getEpochSecond());
        token.setOtherClaims(CREDENTIAL_CLAIM, credentialId);
        token.setOtherClaims(CREDENTIALS_CLAIM, credentialsFingerprint(user));

        NewCookie cookie = new NewCookie.Builder(name(realm, user))
                .value(session.tokens().encode(token))
                .path("/realms/" + realm.getName() + "/")
                .maxAge((int) lifetime.toSeconds())
                .httpOnly(true)
                .secure(SecureContextResolver.isSecureContext(session))
                .sameSite(NewCookie.SameSite.LAX)
                .build();
        session.getContext().getHttpResponse().setCookieIfAbsent(cookie);
    }
}
