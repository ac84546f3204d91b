package org.jgrad.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API end to end: a real server on a free port, called with java.net.http. */
@Timeout(120)
class PlaygroundApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private PlaygroundServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startServer() throws Exception {
        server = PlaygroundServer.open(0, new PlaygroundServer.Options(4, Duration.ofMinutes(5), 4096));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static String newId() {
        return "t-" + UUID.randomUUID();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var b = HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header(RequestGuard.TOKEN_HEADER, server.apiToken());
        if (body != null) b.header("Content-Type", "application/json");
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        var r = send(method, path, body);
        assertEquals(200, r.statusCode(), () -> method + " " + path + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    private void assertError(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r::body);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "JSON error body");
        assertNotNull(JSON.readTree(r.body()).get("error").asText());
    }

    /** Asks for {@code epochs} more epochs and waits until the training pool has trained them. */
    private JsonNode step(String id, int epochs) throws Exception {
        JsonNode asked = ok("POST", "/api/sessions/" + id + "/step", "{\"epochs\": " + epochs + "}");
        int target = asked.get("epoch").asInt() + asked.get("pendingEpochs").asInt();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = ok("GET", "/api/sessions/" + id, null);
            if (s.get("pendingEpochs").asInt() == 0) {
                assertEquals(target, s.get("epoch").asInt(), "every epoch asked for was trained");
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the epochs asked for were not trained within 60 s");
    }

    /** Trains with fixed steps through the API and returns the last test loss. */
    private double trainUntil(String id, double target, int maxEpochs) throws Exception {
        JsonNode state = null;
        for (int done = 0; done < maxEpochs; done += 50) {
            state = step(id, 50);
            if (state.get("testLoss").asDouble() < target) break;
        }
        return state.get("testLoss").asDouble();
    }

    @Test
    void xorLearnsThroughTheApi() throws Exception {
        String id = newId();
        JsonNode s = ok("POST", "/api/sessions/" + id,
                "{\"dataset\":\"xor\",\"layers\":[8,8],\"activation\":\"tanh\",\"learningRate\":0.03,\"batchSize\":10,\"seed\":7}");
        assertEquals(0, s.get("epoch").asInt());
        assertTrue(s.get("testLoss").asDouble() > 0.2, "untrained loss is high: " + s.get("testLoss"));
        double loss = trainUntil(id, 0.05, 600);
        assertTrue(loss < 0.05, "XOR test loss after at most 600 epochs: " + loss);
    }

    @Test
    void circleLearnsThroughTheApi() throws Exception {
        String id = newId();
        ok("POST", "/api/sessions/" + id,
                "{\"dataset\":\"circle\",\"layers\":[8,8],\"activation\":\"tanh\",\"learningRate\":0.03,\"seed\":3}");
        double loss = trainUntil(id, 0.05, 600);
        assertTrue(loss < 0.05, "circle test loss after at most 600 epochs: " + loss);
    }

    @Test
    void stateCarriesHeatMapsWeightsAndPoints() throws Exception {
        String id = newId();
        JsonNode s = ok("POST", "/api/sessions/" + id, "{\"layers\":[3,2],\"features\":[\"x1\",\"x2\",\"x1x2\"]}");
        JsonNode heat = s.get("heatmaps");
        assertEquals(50 * 50, Base64.getDecoder().decode(heat.get("output").asText()).length);
        assertEquals(2, heat.get("neurons").size());
        assertEquals(3, heat.get("neurons").get(0).size());
        assertEquals(25 * 25, Base64.getDecoder().decode(heat.get("neurons").get(1).get(1).asText()).length);
        assertEquals(3, heat.get("features").size());
        assertEquals(3, s.get("weights").size()); // two hidden layers and the output
        assertEquals(3, s.get("weights").get(0).get(0).size());
        JsonNode pts = ok("GET", "/api/sessions/" + id + "/points", null);
        assertEquals(250, pts.get("train").size());
        assertEquals(250, pts.get("test").size());
        JsonNode changed = ok("POST", "/api/sessions/" + id, "{\"ratio\":30,\"problem\":\"regression\"}");
        assertEquals("plane", changed.get("config").get("dataset").asText());
        assertEquals(150, ok("GET", "/api/sessions/" + id + "/points", null).get("train").size());
    }

    @Test
    void playTrainsInTheBackgroundAndPauseStops() throws Exception {
        String id = newId();
        ok("POST", "/api/sessions/" + id, "{\"dataset\":\"gaussian\"}");
        assertTrue(ok("POST", "/api/sessions/" + id + "/play", null).get("running").asBoolean());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int epoch = 0;
        while (epoch < 5 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            epoch = ok("GET", "/api/sessions/" + id, null).get("epoch").asInt();
        }
        assertTrue(epoch >= 5, "epochs advance while playing: " + epoch);
        assertFalse(ok("POST", "/api/sessions/" + id + "/pause", "{}").get("running").asBoolean());
        Thread.sleep(200); // a slice that was already under way may finish
        int paused = ok("GET", "/api/sessions/" + id, null).get("epoch").asInt();
        Thread.sleep(300);
        assertEquals(paused, ok("GET", "/api/sessions/" + id, null).get("epoch").asInt(), "no training while paused");
        assertEquals(0, ok("POST", "/api/sessions/" + id + "/reset", null).get("epoch").asInt());
    }

    @Test
    void eventStreamSendsPointsThenState() throws Exception {
        String id = newId();
        ok("POST", "/api/sessions/" + id, "{}");
        var req = HttpRequest.newBuilder(server.url().resolve("/api/sessions/" + id + "/events?token=" + server.apiToken())).GET().build();
        HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            java.util.List<String> events = new java.util.ArrayList<>();
            while (events.size() < 2 && (line = in.readLine()) != null) {
                if (line.startsWith("event: ")) events.add(line.substring(7));
            }
            assertEquals(java.util.List.of("points", "state"), events);
            // the training pool may have taken the epoch before the answer was written: 1 or 0 waits
            int pending = ok("POST", "/api/sessions/" + id + "/step", null).get("pendingEpochs").asInt();
            assertTrue(pending == 0 || pending == 1, "one epoch asked for, " + pending + " waiting");
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: {\"session\"")) {
                    if (JSON.readTree(line.substring(6)).get("epoch").asInt() == 1) break;
                }
            }
            assertNotNull(line, "a state frame with epoch 1 arrives after a step");
        }
    }

    @Test
    void badParametersGet400WithAMessage() throws Exception {
        String id = newId();
        String[] bad = {
            "{\"learningrate\":0.1}", // unknown name (case matters)
            "{\"bogus\":1}",
            "{\"layers\":[1,2,3,4,5,6,7]}",
            "{\"layers\":[9]}",
            "{\"layers\":[0]}",
            "{\"layers\":\"4,2\"}",
            "{\"learningRate\":0}",
            "{\"learningRate\":10.5}",
            "{\"learningRate\":\"fast\"}",
            "{\"batchSize\":0}",
            "{\"batchSize\":251}",
            "{\"ratio\":95}",
            "{\"ratio\":5}",
            "{\"noise\":51}",
            "{\"noise\":-1}",
            "{\"features\":[]}",
            "{\"features\":[\"x3\"]}",
            "{\"activation\":\"softmax\"}",
            "{\"dataset\":\"moons\"}",
            "{\"dataset\":\"xor\",\"problem\":\"regression\"}",
            "{\"regularization\":\"l3\"}",
            "{\"regularizationRate\":-1}",
            "[1,2]",
            "not json",
            "{\"layers\":" + "[".repeat(50) + "]".repeat(50) + "}", // nesting beyond the parser's limit
            "{\"seed\":1.5}",
            "{\"seed\":123456789012345678901234567890}",
        };
        for (String body : bad) assertError(400, send("POST", "/api/sessions/" + id, body));
        assertEquals(0, server.sessionCount(), "refused settings create no session");
        ok("POST", "/api/sessions/" + id, "{\"ratio\":20,\"batchSize\":100}");
        assertError(400, send("POST", "/api/sessions/" + id, "{\"ratio\":10}")); // batch 100 > 50 training points
        assertError(400, send("POST", "/api/sessions/" + id + "/step", "{\"epochs\":100000}"));
        assertError(400, send("POST", "/api/sessions/" + id + "/step", "{\"count\":1}"));
        assertError(400, send("POST", "/api/sessions/" + id + "/play", "{\"fast\":true}"));
        assertError(400, send("POST", "/api/sessions/bad!id!here", "{}"));
        assertError(400, send("POST", "/api/sessions/short", "{}"));
        assertError(404, send("POST", "/api/sessions/" + id + "/explode", null));
        assertError(404, send("GET", "/api/sessions/" + newId(), null));
        assertError(404, send("GET", "/api/other", null));
        assertError(405, send("PUT", "/api/sessions/" + id, "{}"));
        assertError(405, send("GET", "/api/sessions/" + id + "/play", null));
        // the server is still fine, and the session kept its last good settings
        assertEquals(20, ok("GET", "/api/sessions/" + id, null).get("config").get("ratio").asInt());
    }

    @Test
    void concurrentRequestsNeverBreakTheServer() throws Exception {
        String[] ids = {newId(), newId()};
        String[] bodies = {"{\"layers\":[3,3]}", "{\"layers\":[99]}", "{\"dataset\":\"spiral\"}", "{\"noise\":20}", "oops", "{\"features\":[\"x1\"]}"};
        String[] actions = {"play", "pause", "step", "reset", "regenerate"};
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 80; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    String id = ids[k % 2];
                    var r = switch (k % 3) {
                        case 0 -> send("POST", "/api/sessions/" + id, bodies[k % bodies.length]);
                        case 1 -> send("POST", "/api/sessions/" + id + "/" + actions[k % actions.length], null);
                        default -> send("GET", "/api/sessions/" + id, null);
                    };
                    return r.statusCode();
                }));
            }
            for (var f : futures) {
                int status = f.get();
                assertTrue(status == 200 || status == 400 || status == 404, "status " + status);
            }
        }
        for (String id : ids) {
            ok("POST", "/api/sessions/" + id + "/pause", null);
            JsonNode s = step(id, 1);
            assertTrue(s.get("testLoss").isNumber(), "the session still trains: " + s);
        }
    }

    @Test
    void oversizedBodiesGet413AndChunkedOnes411() throws Exception {
        String id = newId();
        String big = "{\"seed\":1" + " ".repeat(10_000) + "}";
        assertError(413, send("POST", "/api/sessions/" + id, big));
        // no Content-Length: java.net.http sends a streamed body chunked, which is refused before reading
        var req = HttpRequest.newBuilder(server.url().resolve("/api/sessions/" + id))
                .header(RequestGuard.TOKEN_HEADER, server.apiToken())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        assertError(411, client.send(req, HttpResponse.BodyHandlers.ofString()));
        ok("POST", "/api/sessions/" + id, "{}");
    }

    @Test
    void tooManySessionsGet503() throws Exception {
        String first = newId();
        ok("POST", "/api/sessions/" + first, "{}");
        for (int i = 1; i < 4; i++) ok("POST", "/api/sessions/" + newId(), "{}");
        assertError(503, send("POST", "/api/sessions/" + newId(), "{}"));
        assertEquals(4, server.sessionCount());
        ok("POST", "/api/sessions/" + first, "{\"noise\":10}"); // existing sessions still work
        ok("DELETE", "/api/sessions/" + first, null);
        ok("POST", "/api/sessions/" + newId(), "{}"); // ending one frees a slot
    }

    @Test
    void staticFilesAndNoPathTraversal() throws Exception {
        var index = send("GET", "/", null);
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("<title>"), "index.html is served");
        assertEquals(200, send("GET", "/app.js", null).statusCode());
        assertEquals(200, send("GET", "/style.css", null).statusCode());
        for (String p : new String[] {"/nope.html", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                "/%2fetc%2fpasswd", "/static/index.html", "/org/jgrad/playground/Config.class", "/.hidden.js"}) {
            assertEquals(404, send("GET", p, null).statusCode(), p);
        }
        // raw requests that java.net.http would normalise or refuse
        for (String target : new String[] {"/../../etc/passwd", "/..", "//etc/passwd", "/./index.html/../../x.js", "http://localhost/etc/passwd"}) {
            String status = rawRequest("GET " + target + " HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nConnection: close\r\n\r\n");
            assertTrue(status.contains(" 404 ") || status.contains(" 400 "), target + " -> " + status);
        }
        assertEquals(200, send("GET", "/", null).statusCode(), "server still serves");
    }

    private String rawRequest(String request) throws Exception {
        try (var socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            return status == null ? "(closed)" : status;
        }
    }

    @Test
    void thePageLoadsNothingFromElsewhere() throws Exception {
        for (String name : new String[] {"index.html", "app.js", "style.css"}) {
            String text = send("GET", "/" + name, null).body();
            assertFalse(text.contains("http://") || text.contains("https://") || text.contains("//cdn"),
                    name + " refers to another host; the machine may have no internet");
        }
    }

    @Test
    void anOpenEventStreamKeepsItsSessionAlive() throws Exception {
        try (var quick = PlaygroundServer.open(0, new PlaygroundServer.Options(2, Duration.ofMillis(400), 4096))) {
            var c = HttpClient.newHttpClient();
            String id = newId();
            URI session = quick.url().resolve("/api/sessions/" + id);
            c.send(HttpRequest.newBuilder(session).header(RequestGuard.TOKEN_HEADER, quick.apiToken())
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<InputStream> stream = c.send(HttpRequest.newBuilder(URI.create(session + "/events?token=" + quick.apiToken())).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = stream.body()) {
                long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                byte[] buf = new byte[8192];
                while (System.nanoTime() < end && in.read(buf) >= 0) { } // keep reading, as a browser does
                assertEquals(1, quick.sessionCount(), "a connected tab's session does not expire");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (quick.sessionCount() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(0, quick.sessionCount(), "once the tab is gone, the session expires");
        }
    }

    @Test
    void idleSessionsExpire() throws Exception {
        try (var quick = PlaygroundServer.open(0, new PlaygroundServer.Options(2, Duration.ofMillis(300), 4096))) {
            var c = HttpClient.newHttpClient();
            URI base = quick.url();
            String id = newId();
            var r = c.send(HttpRequest.newBuilder(base.resolve("/api/sessions/" + id)).header(RequestGuard.TOKEN_HEADER, quick.apiToken())
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(1, quick.sessionCount());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (quick.sessionCount() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(0, quick.sessionCount(), "an idle session is gone after its timeout");
            var gone = c.send(HttpRequest.newBuilder(base.resolve("/api/sessions/" + id)).header(RequestGuard.TOKEN_HEADER, quick.apiToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, gone.statusCode());
        }
    }
}
