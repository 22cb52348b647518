package io.github.grouptotp.it;

import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jsoup.nodes.Element;

/**
 * A minimal browser: one cookie jar, follows redirects, submits forms. Like a real browser on localhost it sends
 * cookies marked Secure over http://localhost (Keycloak marks them Secure there; Java's CookieManager would not send them).
 */
public final class Browser {

    private static final int MAX_REDIRECTS = 20;

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    /** Cookies by name and path. */
    private final Map<String, HttpCookie> cookies = new LinkedHashMap<>();
    private final List<String> setCookieHeaders = new ArrayList<>();
    /** Redirects to URLs it accepts are where the app takes over: not followed. */
    private final Predicate<String> isAppUrl;

    /** A browser whose application lives at URLs starting with {@code appUrl}. */
    public Browser(String appUrl) {
        this(url -> url.startsWith(appUrl));
    }

    public Browser(Predicate<String> isAppUrl) {
        this.isAppUrl = isAppUrl;
    }

    public Page get(String url) {
        return follow(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** Submits the form found by {@code formSelector} on {@code page}, with its inputs overridden by {@code fields}. */
    public Page submit(Page page, String formSelector, Map<String, String> fields) {
        Element form = page.document().selectFirst(formSelector);
        if (form == null) {
            throw new AssertionError("No form " + formSelector + " on " + page.uri() + ":\n" + page.body());
        }
        Map<String, String> values = new LinkedHashMap<>();
        form.select("input[name]").forEach(input -> values.put(input.attr("name"), input.val()));
        values.putAll(fields);
        return post(form.absUrl("action"), values);
    }

    public Page post(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> AdminApi.encode(e.getKey()) + "=" + AdminApi.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return postRaw(url, body);
    }

    public Page postRaw(String url, String formBody) {
        return follow(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)));
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

    private Page follow(HttpRequest.Builder first) {
        HttpRequest request = withCookies(first).build();
        for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
            HttpResponse<String> response = send(request);
            storeCookies(response);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status < 300 || status >= 400 || location.isEmpty()) {
                return new Page(status, response.uri(), null, response.body());
            }
            URI next = response.uri().resolve(location.get());
            if (isAppUrl.test(next.toString())) {
                return new Page(status, response.uri(), next, response.body());
            }
            request = withCookies(HttpRequest.newBuilder(next).GET()).build();
        }
        throw new AssertionError("More than " + MAX_REDIRECTS + " redirects");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder withCookies(HttpRequest.Builder builder) {
        URI uri = builder.build().uri();
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        String header = cookies.values().stream()
                .filter(c -> !c.hasExpired())
                .filter(c -> path.startsWith(c.getPath() == null ? "/" : c.getPath()))
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        if (!header.isEmpty()) {
            builder.setHeader("Cookie", header);
        }
        return builder;
    }

    private void storeCookies(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
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
}
