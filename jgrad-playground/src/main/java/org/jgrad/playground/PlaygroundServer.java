package org.jgrad.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The playground's web server: a TensorFlow-Playground-like page whose network trains in jgrad on
 * the server. Built on the JDK's {@code com.sun.net.httpserver}; listens on the loopback interface
 * only, and answers only requests that name it in their {@code Host} header, come from its own page
 * (no foreign {@code Origin}) and, for the API, carry the page's token ({@link RequestGuard}).
 *
 * <pre>{@code
 * String url = PlaygroundServer.start(8080);     // runs until the JVM exits
 * try (var server = PlaygroundServer.open(0)) {  // or a server to close, on a free port
 *     System.out.println(server.url() + " token " + server.apiToken());
 * }
 * }</pre>
 *
 * <p>HTTP API (all bodies JSON, sent with a {@code Content-Length}; every call carries the
 * {@code X-Playground-Token} header; errors are {@code {"error": "..."}} with status 400, 403, 404,
 * 405, 408, 411, 413, 429 or 503). A session id is chosen by the page ({@code [A-Za-z0-9_-]{8,64}}):
 * <ul>
 *   <li>{@code POST /api/sessions/{id}} with settings (any subset of dataset, problem, ratio, noise,
 *       batchSize, features, layers, activation, learningRate, regularization, regularizationRate,
 *       seed) creates the session or changes it; answers the state.
 *   <li>{@code GET /api/sessions/{id}} the state: epoch, running, pendingEpochs, losses, settings,
 *       loss history, weights, heat maps; {@code GET .../points} the training and test points.
 *   <li>{@code POST .../play}, {@code .../pause}, {@code .../reset}, {@code .../regenerate},
 *       {@code .../step} (body {@code {"epochs": n}}, 1..100, default 1). Each answers at once:
 *       training happens on the training pool, and {@code step} only adds to pendingEpochs.
 *   <li>{@code GET .../events?token=...}: Server-Sent Events, {@code points} when the data changes
 *       and {@code state} after every training slice.
 *   <li>{@code DELETE /api/sessions/{id}} ends a session; idle sessions end by themselves, and a
 *       session that no client has polled (a request or an event received) for a few seconds stops
 *       training.
 * </ul>
 */
public final class PlaygroundServer implements AutoCloseable {

    /**
     * Limits that keep one server safe to leave running.
     *
     * @param maxSessions    sessions alive at once; a new one beyond this gets 503
     * @param idleTimeout    a session with no request and no open event stream for this long ends
     * @param maxBodyBytes   request bodies above this get 413 (decided from the declared length)
     * @param readTimeout    a request body not received within this gets 408
     * @param abandonAfter   a session no client has polled for this long stops training
     * @param trainerThreads threads that train sessions (request handlers never train)
     */
    public record Options(int maxSessions, Duration idleTimeout, int maxBodyBytes, Duration readTimeout,
                          Duration abandonAfter, int trainerThreads) {
        /** Validates the limits. */
        public Options {
            if (maxSessions < 1) throw new IllegalArgumentException("PlaygroundServer: maxSessions must be >= 1, got " + maxSessions);
            positive(idleTimeout, "idleTimeout");
            if (maxBodyBytes < 64) throw new IllegalArgumentException("PlaygroundServer: maxBodyBytes must be >= 64, got " + maxBodyBytes);
            positive(readTimeout, "readTimeout");
            positive(abandonAfter, "abandonAfter");
            if (trainerThreads < 1) throw new IllegalArgumentException("PlaygroundServer: trainerThreads must be >= 1, got " + trainerThreads);
        }

        /** The given session and body limits with the default timeouts and trainer threads. */
        public Options(int maxSessions, Duration idleTimeout, int maxBodyBytes) {
            this(maxSessions, idleTimeout, maxBodyBytes, Duration.ofSeconds(5), Duration.ofSeconds(5), defaultTrainerThreads());
        }

        private static void positive(Duration d, String name) {
            if (d.isNegative() || d.isZero())
                throw new IllegalArgumentException("PlaygroundServer: " + name + " must be positive, got " + d);
        }

        /** Half the cores, 1 to 4: the other half stays free to serve pages while sessions train. */
        static int defaultTrainerThreads() {
            return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        }

        /**
         * 64 sessions, 5 minutes idle, 16 KiB bodies received within 5 s, training stops 5 s after
         * the last poll, {@link #defaultTrainerThreads()} trainer threads.
         */
        public static Options defaults() {
            return new Options(64, Duration.ofMinutes(5), 16 * 1024);
        }

        /** These limits with another read timeout. */
        public Options withReadTimeout(Duration d) {
            return new Options(maxSessions, idleTimeout, maxBodyBytes, d, abandonAfter, trainerThreads);
        }

        /** These limits with another abandon time. */
        public Options withAbandonAfter(Duration d) {
            return new Options(maxSessions, idleTimeout, maxBodyBytes, readTimeout, d, trainerThreads);
        }

        /** These limits with another number of trainer threads. */
        public Options withTrainerThreads(int n) {
            return new Options(maxSessions, idleTimeout, maxBodyBytes, readTimeout, abandonAfter, n);
        }
    }

    /**
     * The JDK server reads request headers before any handler runs, and bounds that only when this
     * property is set (it is read once per JVM, when the first server starts): a client sending its
     * headers a byte a minute would otherwise hold its connection for ever. Seconds; the time from
     * a request's first byte until its headers and body are read. Left alone when already set.
     */
    static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    static final String DEFAULT_MAX_REQUEST_SECONDS = "20";

    static {
        if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null)
            System.setProperty(MAX_REQUEST_TIME_PROPERTY, DEFAULT_MAX_REQUEST_SECONDS);
    }

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int MAX_STEP_EPOCHS = 100;

    private final Options options;
    private final HttpServer http;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final TrainingPool trainer;
    private final RequestGuard guard;
    private final StaticFiles files;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final EventStreams streams;
    private final Set<HttpExchange> bodiesRead = ConcurrentHashMap.newKeySet(); // exchanges in progress whose body was read
    private final Object createLock = new Object();
    private volatile boolean closed;

    private PlaygroundServer(InetSocketAddress address, Options options) throws IOException {
        this.options = options;
        trainer = new TrainingPool(options.trainerThreads(), options.abandonAfter(), PlaygroundServer::now);
        http = HttpServer.create(address, 256);
        guard = new RequestGuard(http.getAddress());
        files = new StaticFiles(guard.token());
        long keepAlive = Math.max(100, Math.min(15_000,
                Math.min(options.idleTimeout().toMillis() / 3, options.abandonAfter().toMillis() / 2)));
        streams = new EventStreams(options.maxSessions() * 4, keepAlive, () -> closed);
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
        http.start();
        long sweep = Math.max(50, Math.min(options.idleTimeout().toMillis() / 4, 30_000));
        trainer.every(sweep, this::expireIdle);
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

    /**
     * The token every API call must carry in the {@code X-Playground-Token} header (the page gets
     * it when it loads); random for each server.
     */
    public String apiToken() {
        return guard.token();
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
        trainer.close();
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
            trainer.remove(s);
        }
    }

    /** Milliseconds on a monotonic clock: the time base of {@link Session#lastSeen()}. */
    static long now() {
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
                trainer.add(s);
                return s;
            }
        }
        synchronized (s) {
            s.configure(s.config().apply(patch));
        }
        return s;
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        boolean abort = false;
        try {
            guard.checkSource(ex);
            // only POST reads a body; the other methods that can succeed must not leave one unread
            if (RequestBody.declared(ex) && Set.of("GET", "HEAD", "DELETE").contains(ex.getRequestMethod()))
                throw ApiException.closing(400, ex.getRequestMethod() + " requests take no body", () -> {});
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/api/")) api(ex, path);
            else staticFile(ex, path);
        } catch (ApiException e) {
            // a body left unread (refused before it was read) must not be drained: close instead
            abort = e.closesConnection() || unreadBody(ex);
            if (abort) ex.getResponseHeaders().set("Connection", "close");
            Exchanges.sendQuietly(ex, e.status(), PlaygroundJson.error(e.getMessage()));
            e.afterAnswer().run();
        } catch (IOException e) {
            // the client went away; nothing to answer
        } catch (RuntimeException e) {
            abort = unreadBody(ex);
            if (abort) ex.getResponseHeaders().set("Connection", "close");
            Exchanges.sendQuietly(ex, 500, PlaygroundJson.error("internal error: " + e.getClass().getSimpleName()));
        } finally {
            bodiesRead.remove(ex);
            Exchanges.close(ex, abort);
        }
    }

    /** True when the request declared a body that has not been read to its end. */
    private boolean unreadBody(HttpExchange ex) {
        return RequestBody.declared(ex) && !bodiesRead.contains(ex);
    }

    private void api(HttpExchange ex, String path) throws IOException {
        String[] parts = path.substring(1).split("/", -1); // "api", "sessions", id, [action]
        boolean stream = parts.length == 4 && parts[3].equals("events");
        guard.checkToken(ex, stream);
        if (parts.length < 3 || parts.length > 4 || !parts[1].equals("sessions"))
            throw new ApiException(404, "no such API path");
        String id = parts[2];
        if (!SESSION_ID.matcher(id).matches())
            throw ApiException.badRequest("session id must be 8-64 characters of [A-Za-z0-9_-]");
        String method = ex.getRequestMethod();
        if (parts.length == 3) {
            switch (method) {
                case "GET" -> Exchanges.sendJson(ex, 200, session(id).stateFrame());
                case "POST" -> Exchanges.sendJson(ex, 200, createOrConfigure(id, PlaygroundJson.parse(body(ex))).stateFrame());
                case "DELETE" -> {
                    remove(session(id));
                    Exchanges.sendJson(ex, 200, PlaygroundJson.bytes(Map.of("deleted", id)));
                }
                default -> throw new ApiException(405, method + " is not allowed here; use GET, POST or DELETE");
            }
            return;
        }
        String action = parts[3];
        if (action.equals("events") || action.equals("points")) {
            if (!method.equals("GET")) throw new ApiException(405, action + " takes GET");
            Session s = session(id);
            if (action.equals("points")) Exchanges.sendJson(ex, 200, s.pointsFrame());
            else streams.serve(ex, s);
            return;
        }
        if (!method.equals("POST")) throw new ApiException(405, action + " takes POST");
        JsonNode body = PlaygroundJson.parse(body(ex));
        Session s = session(id);
        switch (action) {
            case "play" -> {
                noBody(body, action);
                s.setRunning(true);
                trainer.wake(s);
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
            case "step" -> {
                s.requestEpochs(stepEpochs(body));
                trainer.wake(s);
            }
            default -> throw new ApiException(404, "unknown action '" + Config.clip(action) + "'; known: play, pause, step, reset, regenerate, events, points");
        }
        Exchanges.sendJson(ex, 200, s.stateFrame());
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

    private byte[] body(HttpExchange ex) throws IOException {
        byte[] body = RequestBody.read(ex, options.maxBodyBytes(), options.readTimeout(), handlers);
        bodiesRead.add(ex);
        return body;
    }

    private void staticFile(HttpExchange ex, String rawPath) throws IOException {
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD"))
            throw new ApiException(405, "static files take GET");
        StaticFiles.File f = files.lookup(rawPath).orElseThrow(() -> new ApiException(404, "not found"));
        var h = ex.getResponseHeaders();
        h.set("Content-Type", f.contentType());
        h.set("Cache-Control", f.carriesToken() ? "no-store" : "no-cache");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY"); // no framing by other pages (clickjacking the controls)
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, f.data().length);
        ex.getResponseBody().write(f.data());
    }
}
