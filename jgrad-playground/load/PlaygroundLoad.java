import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A load driver for a running playground (JDK only; run it with the source launcher, see
 * scripts/playground-load.sh): many browser tabs at once, for a bounded time.
 *
 * <p>{@code java PlaygroundLoad.java URL SERVER_PID SECONDS CLIENTS TRAINERS}: CLIENTS concurrent
 * clients, of which TRAINERS are tabs that train (each creates a session, keeps its event stream
 * open and read, presses play, and every 500 ms asks for 100 more epochs and fetches the state);
 * the others load the page over and over (index.html, app.js, style.css, then 0-100 ms of reading).
 * Prints the latency percentiles of the static files and of the API calls, the statuses, the epochs
 * trained, and the server's resident memory (VmRSS sampled every 250 ms, and VmHWM) from /proc.
 */
public class PlaygroundLoad {
    static final Pattern TOKEN = Pattern.compile("name=\"playground-token\" content=\"([0-9a-f]+)\"");

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long pid = Long.parseLong(args[1]);
        Duration length = Duration.ofSeconds(Long.parseLong(args[2]));
        int clients = Integer.parseInt(args[3]), trainers = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String page = http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString()).body();
        var m = TOKEN.matcher(page);
        String token = m.find() ? m.group(1) : ""; // a server from before the token (for comparisons)

        var staticMs = new ConcurrentLinkedQueue<Double>();
        var apiMs = new ConcurrentLinkedQueue<Double>();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong(), maxRss = new AtomicLong();
        long serverCpu0 = cpuTicks(pid);
        java.time.Duration driverCpu0 = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
        long end = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();

        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(procKb(pid, "VmRSS"), Math::max);
                try { Thread.sleep(250); } catch (InterruptedException e) { return; }
            }
        });
        List<String> sessions = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            boolean trains = c < trainers;
            String id = String.format("load-%04d-tab", c);
            if (trains) sessions.add(id);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    if (trains) trainingTab(http, base, token, id, end, apiMs, statuses);
                    else pageLoads(http, base, end, staticMs, statuses);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("client error: " + e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        sampler.interrupt();
        double serverCpu = (cpuTicks(pid) - serverCpu0) / 100.0; // USER_HZ is 100 on Linux
        double driverCpu = (ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO).toMillis()
                - driverCpu0.toMillis()) / 1000.0;
        long epochs = 0, running = 0;
        for (String id : sessions) {
            var r = http.send(api(base, token, id, "").GET().build(), HttpResponse.BodyHandlers.ofString());
            var em = Pattern.compile("\"epoch\":(\\d+)").matcher(r.body());
            if (em.find()) epochs += Long.parseLong(em.group(1));
            if (r.body().contains("\"running\":true")) running++;
        }
        System.out.printf(Locale.ROOT, "clients %d (%d training tabs), %d s%n", clients, trainers, length.toSeconds());
        report("static files", staticMs, length);
        report("API calls", apiMs, length);
        System.out.println("statuses " + new java.util.TreeMap<>(statuses) + ", client errors " + errors.get());
        System.out.println("epochs trained in all sessions: " + epochs + "; sessions still running at the end: " + running + " of " + sessions.size());
        System.out.printf(Locale.ROOT, "server memory: max VmRSS %d MiB, VmHWM %d MiB%n", maxRss.get() >> 10, procKb(pid, "VmHWM") >> 10);
        System.out.printf(Locale.ROOT, "CPU used during the run: server %.1f s, driver %.1f s (of %d s x %d cores)%n",
                serverCpu, driverCpu, length.toSeconds(), Runtime.getRuntime().availableProcessors());
        System.exit(0);
    }

    static HttpRequest.Builder api(URI base, String token, String id, String action) {
        return HttpRequest.newBuilder(base.resolve("/api/sessions/" + id + action)).timeout(Duration.ofSeconds(60))
                .header("X-Playground-Token", token);
    }

    static void trainingTab(HttpClient http, URI base, String token, String id, long end,
                            ConcurrentLinkedQueue<Double> ms, Map<Integer, AtomicLong> statuses) throws Exception {
        timed(http, api(base, token, id, "").POST(HttpRequest.BodyPublishers.ofString(
                "{\"dataset\":\"spiral\",\"layers\":[8,8,6],\"features\":[\"x1\",\"x2\",\"x1sq\",\"x2sq\",\"sinx1\",\"sinx2\"]}")).build(), ms, statuses);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = http.send(HttpRequest.newBuilder(base.resolve("/api/sessions/" + id + "/events?token=" + token)).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                byte[] buf = new byte[16384];
                while (in.read(buf) >= 0 && System.nanoTime() < end) { }
            } catch (Exception e) {
                // the stream ends with the run
            }
        });
        timed(http, api(base, token, id, "/play").POST(HttpRequest.BodyPublishers.noBody()).build(), ms, statuses);
        while (System.nanoTime() < end) {
            timed(http, api(base, token, id, "/step").POST(HttpRequest.BodyPublishers.ofString("{\"epochs\":100}")).build(), ms, statuses);
            timed(http, api(base, token, id, "").GET().build(), ms, statuses);
            Thread.sleep(500);
        }
        reader.interrupt();
    }

    /**
     * One tab loading the page again and again over one keep-alive connection, on a plain socket:
     * the driver shares the server's cores on loopback, so it should cost far less than the server.
     */
    static void pageLoads(HttpClient unused, URI base, long end, ConcurrentLinkedQueue<Double> ms, Map<Integer, AtomicLong> statuses) throws Exception {
        java.net.Socket socket = null;
        InputStream in = null;
        try {
            while (System.nanoTime() < end) {
                for (String f : new String[] {"", "app.js", "style.css"}) {
                    if (socket == null) {
                        socket = new java.net.Socket(base.getHost().equals("localhost") ? "127.0.0.1" : base.getHost(), base.getPort());
                        socket.setSoTimeout(60_000);
                        socket.setTcpNoDelay(true);
                        in = new java.io.BufferedInputStream(socket.getInputStream());
                    }
                    byte[] req = ("GET /" + f + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    long t = System.nanoTime();
                    socket.getOutputStream().write(req);
                    int status = readResponse(in);
                    ms.add((System.nanoTime() - t) / 1e6);
                    statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                    if (status != 200) { socket.close(); socket = null; }
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(101));
            }
        } finally {
            if (socket != null) socket.close();
        }
    }

    /** Reads one response (head, then a body of its Content-Length); returns its status. */
    static int readResponse(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        int b, state = 0;
        while (state < 4 && (b = in.read()) >= 0) {
            head.append((char) b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        if (state < 4) throw new java.io.EOFException("connection closed");
        int length = 0;
        for (String line : head.toString().split("\r\n"))
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
        in.readNBytes(length);
        return Integer.parseInt(head.substring(9, 12));
    }

    static void timed(HttpClient http, HttpRequest req, ConcurrentLinkedQueue<Double> ms, Map<Integer, AtomicLong> statuses) throws Exception {
        long t = System.nanoTime();
        var r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        ms.add((System.nanoTime() - t) / 1e6);
        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
    }

    static void report(String what, ConcurrentLinkedQueue<Double> ms, Duration length) {
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) { System.out.println(what + ": none"); return; }
        System.out.printf(Locale.ROOT, "%s: %d requests (%.0f/s), p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                what, v.length, v.length / (double) length.toSeconds(), pct(v, 50), pct(v, 90), pct(v, 99), v[v.length - 1]);
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (Exception e) {
            return 0;
        }
    }

    static long procKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
        } catch (Exception e) {
            // the server is gone
        }
        return 0;
    }
}
