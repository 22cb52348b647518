package io.github.grouptotp.keycloak.remind;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.Urls;
import org.keycloak.theme.Theme;

import io.github.grouptotp.keycloak.pages.TotpPages;

/**
 * The reminder e-mail, through Keycloak's own e-mail sender with the realm's SMTP settings and e-mail theme:
 * templates {@value #TEMPLATE} (HTML and text) and the message keys below, in the user's language (their
 * profile's locale, else the realm's default). It names the deadline and links the realm's account console; it
 * carries no code, secret or token: signing in there is what leads to the set-up.
 */
final class ReminderMail {

    static final String TEMPLATE = "group-totp-reminder.ftl";
    static final String SUBJECT = "groupTotpReminderSubject";
    /** Keycloak 26.6+ reads this to choose a mail's language without the current request's Accept-Language. */
    private static final String IGNORE_ACCEPT_LANGUAGE = "IGNORE_ACCEPT_LANGUAGE_HEADER";

    private ReminderMail() {
    }

    /**
     * Sends the reminder to the user, in a session of its own that belongs to no request (see {@link BackgroundRequest}).
     *
     * @return why it could not be sent, if it could not
     */
    static Optional<String> send(KeycloakSessionFactory factory, String realmId, String userId, Instant deadline,
                                 long daysLeft, URI baseUri) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            session.getContext().setHttpRequest(new BackgroundRequest(baseUri));
            RealmModel realm = session.realms().getRealm(realmId);
            session.getContext().setRealm(realm);
            UserModel user = session.users().getUserById(realm, userId);
            if (user == null) {
                return Optional.of("the user was deleted");
            }
            try {
                send(session, realm, user, deadline, daysLeft);
                return Optional.empty();
            } catch (EmailException e) {
                return Optional.of(String.valueOf(e.getMessage()));
            }
        });
    }

    private static void send(KeycloakSession session, RealmModel realm, UserModel user, Instant deadline, long daysLeft)
            throws EmailException {
        Locale locale = session.getContext().resolveLocale(user, Theme.Type.EMAIL);
        String deadlineText = TotpPages.dateText(LocalDate.ofInstant(deadline, ZoneOffset.UTC), locale);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(IGNORE_ACCEPT_LANGUAGE, true);
        attributes.put("deadline", LocalDate.ofInstant(deadline, ZoneOffset.UTC).toString());
        attributes.put("deadlineText", deadlineText);
        attributes.put("daysLeft", daysLeft);
        attributes.put("daysLeftText", TotpPages.numberText(daysLeft, locale));
        attributes.put("accountUrl", Urls.accountBase(session.getContext().getUri().getBaseUri()).build(realm.getName()).toString());
        session.getProvider(EmailTemplateProvider.class)
                .setRealm(realm)
                .setUser(user)
                .send(SUBJECT, List.of(deadlineText), TEMPLATE, attributes);
    }
}
