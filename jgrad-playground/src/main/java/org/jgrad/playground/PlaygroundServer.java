package org.jgrad.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The playground's web server: a TensorFlow-Playground-like page whose network trains in jgrad on
 * the server. Built on the JDK's {@code com.sun.net.httpserver}; listens on the loopback interface
 * only, since the API has no authentication.
 *
 * <pre>{@code
 * String url = PlaygroundServer.start(8080);     // runs until the JVM exits
 * try (var server = PlaygroundServer.open(0)) {  // or a server to close, on a free port
 *     System.out.println(server.url());
 * }
 * }</pre>
 *
 * <p>HTTP API (all bodies JSON; errors are {@code {"error": "..."}} with status 400, 404, 405, 413
 * or 503). A session id is chosen by the page ({@code [A-Za-z0-9_-]{8,64}}):
 * <ul>
 *   <li>{@code POST /api/sessions/{id}} with settings (any subset of dataset, problem, ratio, noise,
 *       batchSize, features, layers, activation, learningRate, regularization, regularizationRate,
 *       seed) creates the session or changes it; answers the state.
 *   <li>{@code GET /api/sessions/{id}} the state: epoch, losses, settings, loss history, weights,
 *       heat maps; {@code GET .../points} the training and test points.
 *   <li>{@code POST .../play}, {@code .../pause}, {@code .../reset}, {@code .../regenerate},
 *       {@code .../step} (body {@code {"epochs": n}}, 1..100, default 1).
 *   <li>{@code GET .../events}: Server-Sent Events, {@code points} when the data changes and
 *       {@code state} after every training slice.
 *   <li>{@code DELETE /api/sessions/{id}} ends a session; idle sessions end by themselves.
 * </ul>
 */
public final class PlaygroundServer implements AutoCloseable {

    /**
     * Limits that keep one server safe to leave running.
     *
     * @param maxSessions  sessions alive at once; a new one beyond this gets 503
     * @param idleTimeout  a session with no request and no open event stream for this long ends
     * @param maxBodyBytes request bodies above this get 413
     */
    public record Options(int maxSessions, Duration idleTimeout, int maxBodyBytes) {
        /** Validates the limits. */
        public Options {
            if (maxSessions < 1) throw new IllegalArgumentException("PlaygroundServer: maxSessions must be >= 1, got " + maxSessions);
            if (idleTimeout.isNegative() || idleTimeout.isZero())
                throw new IllegalArgumentException("PlaygroundServer: idleTimeout must be positive, got " + idleTimeout);
            if (maxBodyBytes < 64) throw new IllegalArgumentException("PlaygroundServer: maxBodyBytes must be >= 64, got " + maxBodyBytes);
        }

        /** 64 sessions, 5 minutes idle, 16 KiB bodies. */
        public static Options defaults() {
            return new Options(64, Duration.ofMinutes(5), 16 * 1024);
        }
    }

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern STATIC_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*\\.(html|css|js|svg|png|ico)");
    private static final String STATIC_ROOT = "static/";
    private static final long SLICE_NANOS = 25_000_000;
    private static final int SLICE_MAX_EPOCHS = 5;
    private static final long SLICE_PAUSE_MILLIS = 15;
    private static final long MIN_FRAME_MILLIS = 60; // about 15 frames a second is plenty for the eye
    private static final int MAX_STEP_EPOCHS = 100; // a step holds the session, and can hold a trainer thread waiting for it

    private final Options options;
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService trainer;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Session, AtomicBoolean> scheduled = new ConcurrentHashMap<>();
    private final AtomicInteger streams = new AtomicInteger();
    private final Object createLock = new Object();
    private volatile boolean closed;

    private PlaygroundServer(InetSocketAddress address, Options options) throws IOException {
        this.options = options;
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        var pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "playground-trainer");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        trainer = pool;
        http = HttpServer.create(address, 64);
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
        http.start();
        long sweep = Math.max(50, Math.min(options.idleTimeout().toMillis() / 4, 30_000));
        trainer.scheduleWithFixedDelay(this::expireIdle, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a server on {@code port} of the loopback interface (0 picks a free port) with the default
     * limits, running until the JVM exits (its dispatcher thread keeps the JVM alive after
     * {@code main} returns). Prints nothing; the caller shows the URL.
     *
     * @return the page's URL, e.g. {@code http://localhost:8080/}
     * @throws IOException when the port cannot be bound
     */
    public static String start(int port) throws IOException {
        return open(port).url().toString();
    }

    /** A server on {@code port} of the loopback interface with the default limits; close it when done. */
    public static PlaygroundServer open(int port) throws IOException {
        return open(port, Options.defaults());
    }

    /** A server on {@code port} of the loopback interface with the given limits; close it when done. */
    public static PlaygroundServer open(int port, Options options) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("PlaygroundServer: port must be in 0..65535, got " + port);
        return new PlaygroundServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), options);
    }

    /** The page's URL. */
    public URI url() {
        return URI.create("http://localhost:" + port() + "/");
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The number of live sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Stops accepting requests, ends every session and event stream, and stops training. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        sessions.values().forEach(Session::close);
        sessions.clear();
        http.stop(0);
        trainer.shutdownNow();
        handlers.shutdownNow();
    }

    // ---- sessions ------------------------------------------------------------------------------

    private void expireIdle() {
        long cutoff = now() - options.idleTimeout().toMillis();
        for (Session s : sessions.values()) {
            if (s.lastSeen() < cutoff) remove(s);
        }
    }

    private void remove(Session s) {
        if (sessions.remove(s.id, s)) {
            s.close();
            scheduled.remove(s);
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private Session session(String id) {
        Session s = sessions.get(id);
        if (s == null) throw new ApiException(404, "no session '" + id + "' (it may have expired); POST /api/sessions/" + id + " to start one");
        s.touch(now());
        return s;
    }

    private Session createOrConfigure(String id, JsonNode patch) {
        Session s = sessions.get(id);
        if (s != null) {
            s.touch(now());
            synchronized (s) {
                s.configure(s.config().apply(patch));
            }
            return s;
        }
        Config cfg = Config.defaults().apply(patch); // validate before taking a slot
        synchronized (createLock) {
            s = sessions.get(id);
            if (s == null) {
                if (sessions.size() >= options.maxSessions()) expireIdle();
                if (sessions.size() >= options.maxSessions())
                    throw new ApiException(503, "too many sessions (" + options.maxSessions() + "); try again later");
                s = new Session(id, cfg, now());
                sessions.put(id, s);
                scheduled.put(s, new AtomicBoolean());
                return s;
            }
        }
        synchronized (s) {
            s.configure(s.config().apply(patch));
        }
        return s;
    }

    private void schedule(Session s, long delayMillis) {
        AtomicBoolean flag = scheduled.get(s);
        if (flag == null || closed || !flag.compareAndSet(false, true)) return;
        try {
            trainer.schedule(() -> slice(s, flag), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            flag.set(false); // shutting down
        }
    }

    private void slice(Session s, AtomicBoolean flag) {
        boolean more;
        try {
            more = s.trainSlice(SLICE_NANOS, SLICE_MAX_EPOCHS);
        } catch (RuntimeException e) {
            s.setRunning(false); // e.g. a diverged network; the page shows it stopped
            more = false;
        }
        flag.set(false);
        // play may have arrived after trainSlice saw "not running": re-check, or that play is lost
        if (more || s.running()) schedule(s, SLICE_PAUSE_MILLIS);
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/api/")) api(ex, path);
            else staticFile(ex, path);
        } catch (ApiException e) {
            sendQuietly(ex, e.status(), Json.error(e.getMessage()));
        } catch (IOException e) {
            // the client went away; nothing to answer
        } catch (RuntimeException e) {
            sendQuietly(ex, 500, Json.error("internal error: " + e.getClass().getSimpleName()));
        } finally {
            ex.close();
        }
    }

    private void api(HttpExchange ex, String path) throws IOException {
        String[] parts = path.substring(1).split("/", -1); // "api", "sessions", id, [action]
        if (parts.length < 3 || parts.length > 4 || !parts[1].equals("sessions"))
            throw new ApiException(404, "no such API path");
        String id = parts[2];
        if (!SESSION_ID.matcher(id).matches())
            throw ApiException.badRequest("session id must be 8-64 characters of [A-Za-z0-9_-]");
        String method = ex.getRequestMethod();
        if (parts.length == 3) {
            switch (method) {
                case "GET" -> sendJson(ex, 200, session(id).stateFrame());
                case "POST" -> sendJson(ex, 200, createOrConfigure(id, Json.parse(body(ex))).stateFrame());
                case "DELETE" -> {
                    remove(session(id));
                    sendJson(ex, 200, Json.bytes(Map.of("deleted", id)));
                }
                default -> throw new ApiException(405, method + " is not allowed here; use GET, POST or DELETE");
            }
            return;
        }
        String action = parts[3];
        if (action.equals("events") || action.equals("points")) {
            if (!method.equals("GET")) throw new ApiException(405, action + " takes GET");
            Session s = session(id);
            if (action.equals("points")) sendJson(ex, 200, s.pointsFrame());
            else events(ex, s);
            return;
        }
        if (!method.equals("POST")) throw new ApiException(405, action + " takes POST");
        JsonNode body = Json.parse(body(ex));
        Session s = session(id);
        switch (action) {
            case "play" -> {
                noBody(body, action);
                s.setRunning(true);
                schedule(s, 0);
            }
            case "pause" -> {
                noBody(body, action);
                s.setRunning(false);
            }
            case "reset" -> {
                noBody(body, action);
                s.reset();
            }
            case "regenerate" -> {
                noBody(body, action);
                s.regenerate();
            }
            case "step" -> s.step(stepEpochs(body));
            default -> throw new ApiException(404, "unknown action '" + Config.clip(action) + "'; known: play, pause, step, reset, regenerate, events, points");
        }
        sendJson(ex, 200, s.stateFrame());
    }

    private static void noBody(JsonNode body, String action) {
        if (body != null && !(body.isObject() && body.isEmpty())) throw ApiException.badRequest(action + " takes no parameters");
    }

    private static int stepEpochs(JsonNode body) {
        if (body == null) return 1;
        if (!body.isObject()) throw ApiException.badRequest("step: body must be a JSON object");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("epochs")) throw ApiException.badRequest("step: unknown parameter '" + Config.clip(k) + "'; known: [epochs]");
        }
        JsonNode e = body.get("epochs");
        if (e == null) return 1;
        if (!e.isIntegralNumber() || e.asLong() < 1 || e.asLong() > MAX_STEP_EPOCHS)
            throw ApiException.badRequest("step: epochs must be an integer in 1.." + MAX_STEP_EPOCHS + ", got " + Config.clip(e.toString()));
        return e.asInt();
    }

    /** Server-Sent Events: the points when they change, the state after every change, keep-alives. */
    private void events(HttpExchange ex, Session s) throws IOException {
        int limit = options.maxSessions() * 4;
        if (streams.incrementAndGet() > limit) {
            streams.decrementAndGet();
            throw new ApiException(503, "too many open event streams");
        }
        try {
            var h = ex.getResponseHeaders();
            h.set("Content-Type", "text/event-stream; charset=utf-8");
            h.set("Cache-Control", "no-store");
            h.set("X-Accel-Buffering", "no");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long keepAlive = Math.max(100, Math.min(15_000, options.idleTimeout().toMillis() / 3));
            long seenPoints = -1, seen = -1;
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.US_ASCII));
            while (!closed && !s.closed()) {
                long version = s.awaitFrame(seen, keepAlive);
                if (s.closed()) break;
                if (version == seen) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    seen = version;
                    long pv = s.pointsVersion();
                    if (pv != seenPoints) {
                        seenPoints = pv;
                        writeEvent(out, "points", s.pointsFrame());
                    }
                    writeEvent(out, "state", s.stateFrame());
                }
                out.flush();
                s.touch(now());
                Thread.sleep(MIN_FRAME_MILLIS);
            }
            out.write("event: closed\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.decrementAndGet();
        }
    }

    private static void writeEvent(OutputStream out, String name, byte[] json) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        out.write(json); // compact JSON has no newlines, so it is one data line
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The request body, refused with 413 beyond the limit (by its declared length when there is one). */
    private byte[] body(HttpExchange ex) throws IOException {
        int max = options.maxBodyBytes();
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad Content-Length");
            }
            if (n > max) throw new ApiException(413, "request body too large: " + n + " bytes, limit " + max);
        }
        try (InputStream in = ex.getRequestBody()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int r;
            while ((r = in.read(chunk)) > 0) {
                buf.write(chunk, 0, r);
                if (buf.size() > max) throw new ApiException(413, "request body too large: limit " + max + " bytes");
            }
            return buf.toByteArray();
        }
    }

    /**
     * Files from the {@code static/} resource folder next to this class, by bare file name only: no
     * slashes, dots-only names or percent-escapes get past the name pattern, so nothing outside that
     * folder can be named.
     */
    private void staticFile(HttpExchange ex, String rawPath) throws IOException {
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD"))
            throw new ApiException(405, "static files take GET");
        String name = rawPath.equals("/") ? "index.html" : rawPath.substring(1);
        if (!STATIC_NAME.matcher(name).matches()) throw new ApiException(404, "not found");
        byte[] data;
        try (InputStream in = PlaygroundServer.class.getResourceAsStream(STATIC_ROOT + name)) {
            if (in == null) throw new ApiException(404, "not found");
            data = in.readAllBytes();
        }
        var h = ex.getResponseHeaders();
        h.set("Content-Type", contentType(name));
        h.set("Cache-Control", "no-cache");
        h.set("X-Content-Type-Options", "nosniff");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, data.length);
        ex.getResponseBody().write(data);
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            default -> "application/octet-stream";
        };
    }

    private static void sendJson(HttpExchange ex, int status, byte[] json) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json; charset=utf-8");
        h.set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, json.length);
        ex.getResponseBody().write(json);
    }

    private static void sendQuietly(HttpExchange ex, int status, byte[] json) {
        try {
            sendJson(ex, status, json);
        } catch (IOException | RuntimeException e) {
            // headers already sent (an event stream) or the client is gone
        }
    }
}
