package org.jgrad.playground;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the playground's HTTP surface end to end: bytes go over a real socket to one running
 * server, which keeps its sessions from input to input as a long-running server does. The
 * contract, for every input: the server answers (or closes the connection) within
 * {@value #HANG_MILLIS} ms, never with a 500 or an internal exception's name, and afterwards still
 * serves the page. Sessions it creates are bounded by the server's own limits, so memory stays
 * bounded too (the fuzz profile runs it under a 256 MiB heap).
 *
 * <p>Three kinds of input, chosen by the last byte: raw bytes; a valid request head for a session
 * followed by raw bytes; and a request assembled from parts (method, path, Host, Origin, token,
 * Content-Length or chunked framing, body). In raw bytes {@code @HOST@} and {@code @TOKEN@} stand
 * for this server's Host and token, so that seeds and their mutations get past the guard.
 */
class PlaygroundHttpFuzzTest {
    /**
     * Far beyond the server's own limits (a 200 ms body deadline, 3 s for a request's head in tests),
     * and beyond the pause when Jazzer re-instruments every loaded class as fuzzing starts (over 10 s
     * on a busy 2-core machine): an answer this late is a hang, not a slow start.
     */
    private static final int HANG_MILLIS = 30_000;
    private static final String[] METHODS = {"GET", "POST", "DELETE", "HEAD", "PUT", "OPTIONS", "get", ""};
    private static final String[] ACTIONS = {"", "/play", "/pause", "/step", "/reset", "/regenerate", "/points", "/events", "/x"};
    private static final String[] BODIES = {
        "{}", "{\"epochs\":100}", "{\"epochs\":1}", "{\"layers\":[8,8,8,8,8,8],\"batchSize\":1}", "{\"dataset\":\"spiral\",\"noise\":50}",
        "{\"features\":[\"x1\",\"x2\",\"x1sq\",\"x2sq\",\"x1x2\",\"sinx1\",\"sinx2\"]}", "{\"learningRate\":10}",
        "{\"layers\":[18446744073709551620]}", "{\"a\":1,\"a\":2}", "{} x", "[", "\"\\ud800\"",
    };

    private static PlaygroundServer server;
    private static boolean warm;

    @BeforeAll
    static void start() throws IOException {
        if (System.getProperty(PlaygroundServer.MAX_REQUEST_TIME_PROPERTY) == null)
            System.setProperty(PlaygroundServer.MAX_REQUEST_TIME_PROPERTY, "3"); // as in the module's normal test runs
        server = PlaygroundServer.open(0, new PlaygroundServer.Options(16, Duration.ofSeconds(2), 4096,
                Duration.ofMillis(200), Duration.ofMillis(500), 1));
    }

    /** The first session loads (and, fuzzing, instruments) most of jgrad-core: not on any input's clock. */
    private static void warmUp() throws IOException {
        if (warm) return;
        warm = true;
        String body = "{\"epochs\":3}";
        exchange(concat(head("POST", "/api/sessions/fuzz-warm-up"), "Content-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII)), 60_000);
        exchange(concat(head("POST", "/api/sessions/fuzz-warm-up/step"),
                ("Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII)), 60_000);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @FuzzTest(maxDuration = "5s")
    @Timeout(90)
    @SuppressWarnings("try") // the scope is the point, not the variable
    void request(FuzzedDataProvider data) throws IOException {
        byte[] request = switch (data.consumeInt(0, 2)) {
            case 0 -> placeholders(data.consumeRemainingAsBytes());
            case 1 -> concat(head("POST", "/api/sessions/fuzz-session-" + data.consumeInt(0, 3) + data.pickValue(ACTIONS)),
                    placeholders(data.consumeRemainingAsBytes()));
            default -> assembled(data);
        };
        String answer, page;
        try (var allowed = BugDetectors.allowNetworkConnections((host, port) -> port == server.port())) {
            warmUp();
            answer = exchange(request, HANG_MILLIS);
            page = exchange(("GET / HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), HANG_MILLIS);
        }
        // status lines only: error messages echo (clipped, JSON-escaped, on one line) what the client sent
        if (answer.lines().anyMatch(line -> line.startsWith("HTTP/1.1 500") || line.startsWith("{\"error\":\"internal error")))
            throw new AssertionError("a request got an internal error:\n" + answer);
        if (!page.startsWith("HTTP/1.1 200 ")) throw new AssertionError("the server no longer serves its page:\n" + page);
    }

    private static byte[] placeholders(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1)
                .replace("@HOST@", "localhost:" + server.port())
                .replace("@TOKEN@", server.apiToken());
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] head(String method, String path) {
        return (method + " " + path + " HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n"
                + RequestGuard.TOKEN_HEADER + ": " + server.apiToken() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] assembled(FuzzedDataProvider data) {
        var sb = new StringBuilder();
        String method = data.pickValue(METHODS);
        String path = switch (data.consumeInt(0, 3)) {
            case 0 -> data.pickValue(new String[] {"/", "/index.html", "/app.js", "/style.css", "/nope.png", "/api/", "/api/sessions"});
            case 1 -> "/api/sessions/fuzz-session-" + data.consumeInt(0, 3) + data.pickValue(ACTIONS);
            case 2 -> "/api/sessions/fuzz-session-0/events?token=" + server.apiToken();
            default -> "/" + data.consumeAsciiString(40).replace(' ', '_').replace('\r', '_').replace('\n', '_');
        };
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        switch (data.consumeInt(0, 5)) {
            case 0 -> sb.append("Host: ").append(data.consumeAsciiString(30).replace('\r', '_').replace('\n', '_')).append("\r\n");
            case 1 -> { } // none
            default -> sb.append("Host: localhost:").append(server.port()).append("\r\n");
        }
        switch (data.consumeInt(0, 3)) {
            case 0 -> sb.append("Origin: http://evil.example\r\n");
            case 1 -> sb.append("Origin: http://localhost:").append(server.port()).append("\r\n");
            default -> { }
        }
        if (data.consumeInt(0, 5) > 0) sb.append(RequestGuard.TOKEN_HEADER).append(": ").append(server.apiToken()).append("\r\n");
        byte[] body = data.consumeBoolean()
                ? data.pickValue(BODIES).getBytes(StandardCharsets.UTF_8)
                : data.consumeBytes(data.consumeInt(0, 200));
        switch (data.consumeInt(0, 4)) {
            case 0 -> sb.append("Content-Length: ").append(data.consumeLong()).append("\r\n");
            case 1 -> sb.append("Transfer-Encoding: chunked\r\n\r\n").append(Long.toHexString(data.consumeLong())).append("\r\n");
            case 2 -> { } // no framing
            default -> sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (!sb.toString().endsWith("\r\n\r\n")) sb.append("\r\n");
        return concat(sb.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Sends the request, says it is all, and reads whatever comes back until the server closes. */
    private static String exchange(byte[] request, int hangMillis) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(hangMillis);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may close before reading everything (a refusal); read what it said
            }
            InputStream in = socket.getInputStream();
            var out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long end = System.nanoTime() + hangMillis * 1_000_000L;
            try {
                int n;
                // an event stream never ends by itself: a little of it is enough
                while ((n = in.read(buf)) >= 0 && out.size() < 1 << 16) {
                    out.write(buf, 0, n);
                    if (System.nanoTime() > end) throw new AssertionError("answer still coming after " + hangMillis + " ms");
                    if (out.toString(StandardCharsets.ISO_8859_1).contains("text/event-stream") && out.size() > 200) break;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer and no close within " + hangMillis + " ms; got so far:\n"
                        + out.toString(StandardCharsets.ISO_8859_1), e);
            } catch (IOException e) {
                // reset by the server after a refusal: fine
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
