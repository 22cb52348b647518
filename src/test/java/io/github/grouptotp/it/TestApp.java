package io.github.grouptotp.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * The application the tests log in to: a public OIDC client ({@value #CLIENT_ID}, PKCE) whose redirect lands on a
 * plain page served from the test JVM. No scripts run there, so nothing races the test after a login (the account
 * console's own redirects once did); the authorization code is read from the redirect.
 */
public final class TestApp {

    public static final String CLIENT_ID = "group-totp-test-app";
    /** The element the landing page shows, for browser tests. */
    public static final String SIGNED_IN_ID = "test-app-signed-in";

    private static TestApp instance;

    private final String baseUrl;

    private TestApp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static synchronized TestApp get() {
        if (instance == null) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                byte[] page = ("<!doctype html><html lang=\"en\"><head><title>Test app</title></head>"
                        + "<body><main><h1 id=\"" + SIGNED_IN_ID + "\">Signed in</h1></main></body></html>")
                        .getBytes(StandardCharsets.UTF_8);
                server.createContext("/", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, page.length);
                    try (OutputStream body = exchange.getResponseBody()) {
                        body.write(page);
                    }
                });
                server.start();
                instance = new TestApp("http://localhost:" + server.getAddress().getPort());
            } catch (IOException e) {
                throw new IllegalStateException("The test app's landing page did not start", e);
            }
        }
        return instance;
    }

    /** Where Keycloak sends the browser after a login. */
    public String redirectUri() {
        return baseUrl + "/callback";
    }

    public boolean isAppUrl(String url) {
        return url.startsWith(baseUrl + "/");
    }

    /** The client to add to every realm a test logs in to. */
    public ClientRepresentation client() {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(CLIENT_ID);
        client.setPublicClient(true);
        client.setStandardFlowEnabled(true);
        client.setDirectAccessGrantsEnabled(false);
        client.setRedirectUris(List.of(redirectUri()));
        client.setAttributes(Map.of("pkce.code.challenge.method", "S256", "post.logout.redirect.uris", redirectUri()));
        return client;
    }
}
