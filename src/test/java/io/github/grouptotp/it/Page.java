package io.github.grouptotp.it;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What the browser ended on: a rendered page, or a redirect back to the application.
 *
 * @param appRedirect where Keycloak sent the browser back to the application, if it did
 */
public record Page(int status, URI uri, URI appRedirect, String body) {

    public Document document() {
        return Jsoup.parse(body == null ? "" : body, uri.toString());
    }

    public boolean loggedIn() {
        return authorizationCode().isPresent();
    }

    public Optional<String> authorizationCode() {
        if (appRedirect == null || appRedirect.getRawQuery() == null) {
            return Optional.empty();
        }
        return Arrays.stream(appRedirect.getRawQuery().split("&"))
                .filter(p -> p.startsWith("code="))
                .map(p -> p.substring("code=".length()))
                .findFirst();
    }

    public boolean has(String cssSelector) {
        return document().selectFirst(cssSelector) != null;
    }

    /** Text of the first element matching the selector; fails if there is none. */
    public String text(String cssSelector) {
        Element element = document().selectFirst(cssSelector);
        if (element == null) {
            throw new AssertionError("No " + cssSelector + " on page " + uri + " (status " + status + "):\n" + body);
        }
        return element.text();
    }

    public String attr(String cssSelector, String attribute) {
        Element element = document().selectFirst(cssSelector);
        if (element == null) {
            throw new AssertionError("No " + cssSelector + " on page " + uri + " (status " + status + "):\n" + body);
        }
        return element.attr(attribute);
    }

    @Override
    public String toString() {
        return "Page[" + status + " " + uri + (appRedirect == null ? "" : " -> " + appRedirect) + "]";
    }
}
