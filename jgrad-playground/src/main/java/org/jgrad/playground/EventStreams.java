package org.jgrad.playground;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Server-Sent Events for sessions: the points when they change, the state after every change, and
 * keep-alives in between. Every event written counts as a poll of the session, so a tab that stops
 * reading stops its training. The number of open streams is bounded.
 */
final class EventStreams {
    private static final long MIN_FRAME_MILLIS = 60; // about 15 frames a second is plenty for the eye

    private final AtomicInteger open = new AtomicInteger();
    private final int limit;
    private final long keepAliveMillis;
    private final BooleanSupplier serverClosed;

    EventStreams(int limit, long keepAliveMillis, BooleanSupplier serverClosed) {
        this.limit = limit;
        this.keepAliveMillis = keepAliveMillis;
        this.serverClosed = serverClosed;
    }

    /**
     * Streams {@code s} to the client until the session or the server closes or the client goes.
     *
     * @throws ApiException (503) when {@code limit} streams are open already
     */
    void serve(HttpExchange ex, Session s) throws IOException {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            throw new ApiException(503, "too many open event streams");
        }
        try {
            var h = ex.getResponseHeaders();
            h.set("Content-Type", "text/event-stream; charset=utf-8");
            h.set("Cache-Control", "no-store");
            h.set("X-Accel-Buffering", "no");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long seenPoints = -1, seen = -1;
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.US_ASCII));
            while (!serverClosed.getAsBoolean() && !s.closed()) {
                long version = s.awaitFrame(seen, keepAliveMillis);
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
                s.touch(PlaygroundServer.now());
                Thread.sleep(MIN_FRAME_MILLIS);
            }
            out.write("event: closed\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.decrementAndGet();
        }
    }

    private static void writeEvent(OutputStream out, String name, byte[] json) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        out.write(json); // compact JSON has no newlines, so it is one data line
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    }
}
