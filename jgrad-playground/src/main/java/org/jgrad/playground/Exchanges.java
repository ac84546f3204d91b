package org.jgrad.playground;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Answers and the end of an exchange, as the playground's server sends and ends them. */
final class Exchanges {
    private Exchanges() {}

    /** A JSON answer, flushed at once; a HEAD request gets the headers only. */
    static void sendJson(HttpExchange ex, int status, byte[] json) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json; charset=utf-8");
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff"); // error messages echo the client's (escaped) words
        if (ex.getRequestMethod().equals("HEAD")) {
            // no body, and no length for the JDK server to log a warning about (a log flood otherwise)
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, json.length);
        OutputStream out = ex.getResponseBody();
        out.write(json);
        out.flush(); // on its way before close(), which for a refused body closes the connection
    }

    /** {@link #sendJson}, where a failure can only mean the headers went already or the client left. */
    static void sendQuietly(HttpExchange ex, int status, byte[] json) {
        try {
            sendJson(ex, status, json);
        } catch (IOException | RuntimeException e) {
            // headers already sent (an event stream) or the client is gone
        }
    }

    /**
     * Ends an exchange. The JDK server's {@code close()} first reads ("drains") the unread rest of
     * the request body, up to 64 KiB, with no time limit: a request declaring 10^12 bytes and
     * sending 2 would hold its connection and this thread for as long as the client likes. With
     * {@code abort} (the answer is already flushed) the connection is closed instead: a blocking
     * socket channel read by an interrupted thread closes the channel at once
     * ({@link java.nio.channels.ClosedByInterruptException}), which the server takes as the end of
     * the connection.
     */
    /**
     * Reads what of the unread body has already arrived, for at most {@link #DRAIN_MILLIS} and
     * {@link #DRAIN_BYTES}, without ever blocking on the socket. Closing a socket whose receive
     * buffer still holds data makes the kernel send a reset instead of a normal close, and a reset
     * can destroy the answer before the client reads it: a client that sent a whole 10 KB body with
     * its headers then sees no 413, only a broken connection. A body that is not arriving (10^12
     * declared, 2 sent) costs at most the short deadline.
     */
    private static void drainArrived(HttpExchange ex) {
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        byte[] buf = new byte[8192];
        long total = 0;
        try {
            var in = ex.getRequestBody();
            while (total < DRAIN_BYTES && System.nanoTime() < deadline) {
                int n = in.available();
                if (n > 0) {
                    int r = in.read(buf, 0, Math.min(n, buf.length));
                    if (r < 0) return;
                    total += r;
                } else {
                    Thread.sleep(5);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client is gone or the stream is closed: nothing left to spare it from
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long a refused exchange waits for body bytes already on their way (see drainArrived). */
    private static final long DRAIN_MILLIS = 200;
    /** The most of a refused body read before closing. */
    private static final long DRAIN_BYTES = 1 << 20;

    static void close(HttpExchange ex, boolean abort) {
        if (!abort) {
            ex.close();
            return;
        }
        drainArrived(ex);
        Thread.currentThread().interrupt();
        try {
            ex.close();
        } finally {
            Thread.interrupted(); // this handler thread ends here; leave it as it came
        }
    }
}
