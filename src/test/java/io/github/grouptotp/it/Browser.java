package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;

import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.jsoup.nodes.Element;

/**
 * A browser for HTTP-level tests, on rest-assured: one cookie jar, follows redirects until the application takes
 * over, submits forms. Like a real browser on localhost it sends cookies marked Secure over http://localhost
 * (Keycloak marks them Secure there).
 */
public final class Browser {

    private static final int MAX_REDIRECTS = 20;
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final RestAssuredConfig CONFIG = RestAssured.config()
            .redirect(RedirectConfig.redirectConfig().followRedirects(false))
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", TIMEOUT_MILLIS)
                    .setParam("http.socket.timeout", TIMEOUT_MILLIS));

    /** Cookies by name and path. */
    private final Map<String, HttpCookie> cookies = new LinkedHashMap<>();
    private final List<String> setCookieHeaders = new java.util.ArrayList<>();
    /** Redirects to URLs it accepts are where the application takes over: not followed. */
    private final Predicate<String> isAppUrl;

    /** A browser for the test application ({@link TestApp}). */
    public Browser() {
        this(TestApp.get()::isAppUrl);
    }

    public Browser(Predicate<String> isAppUrl) {
        this.isAppUrl = isAppUrl;
    }

    public Page get(String url) {
        return follow("GET", URI.create(url), null);
    }

    /** Submits the form found by {@code formSelector} on {@code page}, with its inputs overridden by {@code fields}. */
    public Page submit(Page page, String formSelector, Map<String, String> fields) {
        Element form = page.document().selectFirst(formSelector);
        if (form == null) {
            throw new AssertionError("No form " + formSelector + " on " + page.uri() + ":\n" + page.body());
        }
        Map<String, String> values = new LinkedHashMap<>();
        // As a browser does: unticked checkboxes and radio buttons are not sent.
        form.select("input[name]").stream()
                .filter(input -> !input.attr("type").matches("(?i)checkbox|radio") || input.hasAttr("checked"))
                .forEach(input -> values.put(input.attr("name"), input.val()));
        values.putAll(fields);
        return post(form.absUrl("action"), values);
    }

    public Page post(String url, Map<String, String> fields) {
        return postRaw(url, fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&")));
    }

    public Page postRaw(String url, String formBody) {
        return follow("POST", URI.create(url), formBody);
    }

    public Optional<HttpCookie> cookie(String name) {
        return cookies.values().stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    /** Cookies whose name starts with {@code prefix}. */
    public List<HttpCookie> cookies(String prefix) {
        return cookies.values().stream().filter(c -> c.getName().startsWith(prefix)).toList();
    }

    /** Sets or replaces a cookie, as an attacker editing their own browser's cookies would. */
    public void putCookie(String name, String value, String path) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath(path);
        cookies.put(name + "|" + path, cookie);
    }

    /** Every Set-Cookie header this browser received, in order, as sent. */
    public List<String> setCookieHeaders() {
        return List.copyOf(setCookieHeaders);
    }

    /** A second window of the same browser profile: the same cookies from now on, for requests in parallel. */
    public Browser copy() {
        Browser copy = new Browser(isAppUrl);
        copy.cookies.putAll(cookies);
        return copy;
    }

    /** Closing and reopening the browser: session cookies (the Keycloak SSO session among them) are gone. */
    public void restart() {
        cookies.values().removeIf(c -> c.getMaxAge() < 0);
    }

    private Page follow(String method, URI uri, String formBody) {
        Response response = send(method, uri, formBody);
        for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
            String location = response.getHeader("Location");
            if (response.statusCode() < 300 || response.statusCode() >= 400 || location == null) {
                return new Page(response.statusCode(), uri, null, response.asString());
            }
            URI next = uri.resolve(location);
            if (isAppUrl.test(next.toString())) {
                return new Page(response.statusCode(), uri, next, response.asString());
            }
            uri = next;
            response = send("GET", uri, null);
        }
        throw new AssertionError("More than " + MAX_REDIRECTS + " redirects");
    }

    private Response send(String method, URI uri, String formBody) {
        RequestSpecification request = given().config(CONFIG).urlEncodingEnabled(false);
        String cookieHeader = cookieHeaderFor(uri);
        if (!cookieHeader.isEmpty()) {
            request.header("Cookie", cookieHeader);
        }
        if (formBody != null) {
            request.contentType("application/x-www-form-urlencoded").body(formBody);
        }
        Response response = request.request(method, uri.toString());
        storeCookies(response.getHeaders().getValues("Set-Cookie"));
        return response;
    }

    private String cookieHeaderFor(URI uri) {
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        return cookies.values().stream()
                .filter(c -> !c.hasExpired())
                .filter(c -> path.startsWith(c.getPath() == null ? "/" : c.getPath()))
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    private void storeCookies(List<String> headers) {
        for (String header : headers) {
            setCookieHeaders.add(header);
            for (HttpCookie cookie : HttpCookie.parse(header)) {
                if (cookie.getPath() == null) {
                    cookie.setPath("/");
                }
                String key = cookie.getName() + "|" + cookie.getPath();
                if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                    cookies.remove(key);
                } else {
                    cookies.put(key, cookie);
                }
            }
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
