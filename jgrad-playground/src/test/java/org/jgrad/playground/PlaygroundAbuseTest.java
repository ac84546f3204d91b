package org.jgrad.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a hostile web page or a careless client can send, over raw sockets: each case is answered
 * with a 4xx (never a 500), promptly, and the server keeps serving. Regression tests for
 * docs/bad-inputs.md's playground rows.
 */
@Timeout(60)
class PlaygroundAbuseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any answer may take; a read that waits this long is a hang. */
    private static final int HANG_MILLIS = 4000;

    private PlaygroundServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = PlaygroundServer.open(0, PlaygroundServer.Options.defaults()
                .withReadTimeout(Duration.ofMillis(300)).withAbandonAfter(Duration.ofMillis(400)).withTrainerThreads(1));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String newId() {
        return "t-" + UUID.randomUUID();
    }

    private String host() {
        return "localhost:" + server.port();
    }

    /** A request with this server's Host and token and a JSON body (or none). */
    private String request(String method, String path, String body) {
        String b = body == null ? "" : body;
        return method + " " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n" + RequestGuard.TOKEN_HEADER + ": " + server.apiToken()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length() + "\r\n\r\n" + b;
    }

    private RawHttp.Response exchange(String request) throws Exception {
        try (var c = new RawHttp(server.port(), HANG_MILLIS)) {
            return c.send(request).read();
        }
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        var r = exchange(request(method, path, body));
        assertEquals(200, r.status(), () -> method + " " + path + " -> " + r.head() + r.body());
        return JSON.readTree(r.body());
    }

    private static void assertRefused(int status, RawHttp.Response r, String mentions) throws Exception {
        assertEquals(status, r.status(), () -> r.head() + r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(mentions), error);
        assertFalse(error.contains("internal"), error);
    }

    private void assertStillServes() throws Exception {
        assertEquals(200, exchange("GET / HTTP/1.1\r\nHost: " + host() + "\r\n\r\n").status(), "the server still serves the page");
    }

    // ---- who may call ----------------------------------------------------------------------------

    @Test
    void aForeignHostIsRefusedPageAndApiAlike() throws Exception {
        // DNS rebinding: evil.example resolves to 127.0.0.1, and its page calls "its own" server
        for (String host : new String[] {"evil.example:" + server.port(), "evil.example", "localhost.evil.example:" + server.port(),
                "localhost:1", "127.0.0.2:" + server.port()}) {
            assertRefused(403, exchange("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"), "is not this server");
            assertRefused(403, exchange(request("POST", "/api/sessions/" + newId(), "{}").replace(host(), host)), "is not this server");
        }
        assertRefused(400, exchange("GET / HTTP/1.1\r\n\r\n"), "Host");
        assertEquals(0, server.sessionCount());
        assertEquals(200, exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n").status());
        assertEquals(200, exchange("GET /app.js HTTP/1.1\r\nHost: LOCALHOST:" + server.port() + "\r\n\r\n").status());
    }

    @Test
    void aCrossOriginPostIsRefused() throws Exception {
        String id = newId();
        // a form or fetch() from another page: text/plain needs no preflight, but it carries its Origin
        String crossOrigin = "POST /api/sessions/" + id + "/play HTTP/1.1\r\nHost: " + host()
                + "\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}";
        assertRefused(403, exchange(crossOrigin), "cross-origin");
        String withToken = request("POST", "/api/sessions/" + id, "{}").replace("\r\n\r\n", "\r\nOrigin: http://evil.example\r\n\r\n");
        assertRefused(403, exchange(withToken), "cross-origin");
        String nullOrigin = request("POST", "/api/sessions/" + id, "{}").replace("\r\n\r\n", "\r\nOrigin: null\r\n\r\n");
        assertRefused(403, exchange(nullOrigin), "cross-origin");
        assertEquals(0, server.sessionCount(), "no session was created");
        String sameOrigin = request("POST", "/api/sessions/" + id, "{}").replace("\r\n\r\n", "\r\nOrigin: http://" + host() + "\r\n\r\n");
        assertEquals(200, exchange(sameOrigin).status());
    }

    @Test
    void everyApiCallNeedsThePagesToken() throws Exception {
        String page = exchange("GET / HTTP/1.1\r\nHost: " + host() + "\r\n\r\n").body();
        assertTrue(page.contains("<meta name=\"playground-token\" content=\"" + server.apiToken() + "\">"), "the page carries the token");
        String id = newId();
        String noToken = request("POST", "/api/sessions/" + id, "{}").replaceAll(RequestGuard.TOKEN_HEADER + ": \\w+\r\n", "");
        assertRefused(403, exchange(noToken), "missing API token");
        String wrong = request("POST", "/api/sessions/" + id, "{}").replace(server.apiToken(), "0".repeat(32));
        assertRefused(403, exchange(wrong), "wrong API token");
        assertEquals(0, server.sessionCount());
        ok("POST", "/api/sessions/" + id, "{}");
        // the token in the query is for event streams only (EventSource cannot send headers)
        String getWithQuery = "GET /api/sessions/" + id + "?token=" + server.apiToken() + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n";
        assertRefused(403, exchange(getWithQuery), "missing API token");
        try (var c = new RawHttp(server.port(), HANG_MILLIS)) {
            var r = c.send("GET /api/sessions/" + id + "/events?token=" + server.apiToken() + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n").read();
            assertEquals(200, r.status(), r.head());
        }
    }

    // ---- bodies ----------------------------------------------------------------------------------

    @Test
    void aHugeDeclaredLengthIsAnsweredAtOnceAndTheConnectionClosed() throws Exception {
        try (var c = new RawHttp(server.port(), HANG_MILLIS)) {
            c.send(request("POST", "/api/sessions/" + newId(), "{}").replace("Content-Length: 2", "Content-Length: 1000000000000"));
            assertRefused(413, c.read(), "too large");
            assertTrue(c.closedByServer(), "the connection is closed, not kept waiting for 10^12 bytes");
        }
        assertStillServes();
    }

    @Test
    void anyRefusalBeforeTheBodyIsReadClosesTheConnection() throws Exception {
        String huge = request("POST", "/api/sessions/" + newId(), "{}").replace("Content-Length: 2", "Content-Length: 1000000000000");
        String[][] cases = {
            {huge.replace(host(), "evil.example"), "403"},                              // refused by Host
            {huge.replaceAll(RequestGuard.TOKEN_HEADER + ": \\w+\r\n", ""), "403"},    // no token
            {huge.replace("POST /api/sessions/", "POST /api/nowhere/"), "404"},
            {huge.replace("POST /api/sessions/", "POST /index.html?"), "405"},
            {huge.replace("POST ", "GET "), "400"},                                       // a GET with a body
            {huge.replace("POST ", "HEAD "), "400"},
            {huge.replace("POST ", "DELETE "), "400"},
            {huge.replace("POST ", "PUT "), "405"},
        };
        for (String[] c : cases) {
            try (var conn = new RawHttp(server.port(), HANG_MILLIS)) {
                var r = conn.send(c[0]).read();
                assertEquals(Integer.parseInt(c[1]), r.status(), () -> c[0].lines().findFirst().orElse("") + " -> " + r.head());
                assertTrue(conn.closedByServer(), "not kept waiting for the declared body: " + c[0].lines().findFirst().orElse(""));
            }
        }
        assertStillServes();
    }

    @Test
    void chunkedBodiesAreRefusedWhateverTheirChunkSizes() throws Exception {
        for (String chunks : new String[] {"FFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n", "100000000\r\n{}\r\n0\r\n\r\n", "-1\r\n", "2\r\n{}\r\n0\r\n\r\n"}) {
            try (var c = new RawHttp(server.port(), HANG_MILLIS)) {
                c.send(request("POST", "/api/sessions/" + newId(), "").replace("Content-Length: 0", "Transfer-Encoding: chunked") + chunks);
                assertRefused(411, c.read(), "Content-Length");
                assertTrue(c.closedByServer(), "closed after " + chunks.strip());
            }
        }
        assertEquals(0, server.sessionCount());
        assertStillServes();
    }

    @Test
    void aBodyThatStopsComingGets408AndTheConnectionClosed() throws Exception {
        try (var c = new RawHttp(server.port(), HANG_MILLIS)) {
            c.send(request("POST", "/api/sessions/" + newId(), "{}").replace("Content-Length: 2", "Content-Length: 40"));
            assertRefused(408, c.read(), "not received within 300 ms");
            assertTrue(c.closedByServer());
        }
        assertStillServes();
    }

    @Test
    void aBodyThatComesInPartsWithinTheTimeoutIsRead() throws Exception {
        String id = newId();
        String whole = request("POST", "/api/sessions/" + id, "{\"noise\":7}");
        try (var c = new RawHttp(server.port(), HANG_MILLIS)) {
            c.send(whole.substring(0, whole.length() - 4));
            Thread.sleep(100);
            var r = c.send(whole.substring(whole.length() - 4)).read();
            assertEquals(200, r.status(), r::body);
            assertEquals(7, JSON.readTree(r.body()).get("config").get("noise").asInt());
        }
    }

    @Test
    void headersThatNeverEndAreCutOff() throws Exception {
        // the JDK server's request timer (sun.net.httpserver.maxReqTime; 3 s in this module's test runs)
        try (var c = new RawHttp(server.port(), 10_000)) {
            c.send("GET / HTTP/1.1\r\nHost: " + host() + "\r\nX-Slow: ");
            var r = c.read();
            assertEquals(0, r.status(), "no answer to half a request: " + r.head());
        }
        assertStillServes();
    }

    @Test
    void jsonIsStrict() throws Exception {
        String id = newId();
        String[][] bad = {
            {"{\"layers\":[18446744073709551620]}", "beyond the 64-bit range"},
            {"{\"seed\":9223372036854775808}", "beyond the 64-bit range"},
            {"{\"layers\":[4294967300]}", "1..8 neurons"},
            {"{\"learningRate\":1e999}", "too large"},
            {"{\"noise\":1,\"noise\":2}", "Duplicate field"},
            {"{\"layers\":[2],\"layers\":[3]}", "Duplicate field"},
            {"{} {}", "Trailing token"},
            {"{\"noise\":1}garbage", "garbage"},
            {"{\"noise\":1}]", "Unexpected close marker"},
        };
        for (String[] b : bad) assertRefused(400, exchange(request("POST", "/api/sessions/" + id, b[0])), b[1]);
        assertEquals(0, server.sessionCount());
        assertEquals(2, ok("POST", "/api/sessions/" + id, "{\"layers\":[2]} \r\n").get("config").get("layers").get(0).asInt());
        assertRefused(400, exchange(request("POST", "/api/sessions/" + id + "/step", "{\"epochs\":4294967297}")), "epochs");
        assertRefused(400, exchange(request("POST", "/api/sessions/" + id + "/step", "{\"epochs\":1,\"epochs\":100}")), "Duplicate");
    }

    // ---- training --------------------------------------------------------------------------------

    @Test
    void stepAnswersAtOnceAndThePoolTrainsSessionsInTurn() throws Exception {
        // the waiting epochs of a session this test does not poll must not be dropped as abandoned
        server.close();
        server = PlaygroundServer.open(0, PlaygroundServer.Options.defaults().withAbandonAfter(Duration.ofMinutes(1)).withTrainerThreads(1));
        String big = newId(), small = newId();
        ok("POST", "/api/sessions/" + big, "{\"batchSize\":1,\"layers\":[8,8,8]}");
        ok("POST", "/api/sessions/" + small, "{}");
        JsonNode asked = ok("POST", "/api/sessions/" + big + "/step", "{\"epochs\":100}");
        assertEquals(0, asked.get("epoch").asInt(), "the handler did not train");
        assertEquals(100, asked.get("pendingEpochs").asInt());
        for (int i = 0; i < 5; i++) ok("POST", "/api/sessions/" + big + "/step", "{\"epochs\":100}");
        ok("POST", "/api/sessions/" + small + "/step", "{\"epochs\":3}");
        JsonNode s;
        do {
            Thread.sleep(10);
            s = ok("GET", "/api/sessions/" + small, null);
        } while (s.get("pendingEpochs").asInt() > 0);
        assertEquals(3, s.get("epoch").asInt());
        int bigEpoch = ok("GET", "/api/sessions/" + big, null).get("epoch").asInt();
        assertTrue(bigEpoch < 300, "the small session's 3 epochs did not wait for the 600 queued before them: " + bigEpoch);
        // waiting epochs are bounded: asking for more is refused, not queued without end
        RawHttp.Response r = null;
        for (int i = 0; i < 20 && (r == null || r.status() == 200); i++)
            r = exchange(request("POST", "/api/sessions/" + big + "/step", "{\"epochs\":100}"));
        assertRefused(429, r, "waiting");
        assertTrue(ok("GET", "/api/sessions/" + big, null).get("pendingEpochs").asInt() <= Session.MAX_PENDING_EPOCHS);
    }

    @Test
    void aSessionNobodyPollsStopsTraining() throws Exception {
        String id = newId();
        ok("POST", "/api/sessions/" + id, "{}");
        assertTrue(ok("POST", "/api/sessions/" + id + "/play", null).get("running").asBoolean());
        Thread.sleep(1500); // nobody asks: the tab is gone
        JsonNode s = ok("GET", "/api/sessions/" + id, null);
        assertFalse(s.get("running").asBoolean(), "training stopped once nobody polled for 400 ms");
        int epoch = s.get("epoch").asInt();
        Thread.sleep(300);
        assertEquals(epoch, ok("GET", "/api/sessions/" + id, null).get("epoch").asInt());
        assertEquals(1, server.sessionCount(), "the session itself lives on until its idle timeout");
    }
}
