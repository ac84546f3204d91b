package org.jgrad.playground;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a request body within a size and a time limit, deciding from the headers before reading
 * anything.
 *
 * <ul>
 *   <li>A body must come with a {@code Content-Length}: a chunked body gets 411. The JDK server's
 *       chunk parser adds chunk sizes up in an {@code int}, so {@code FFFFFFFFFFFF} wraps (and a
 *       500 with its exception used to reach the client) and {@code 100000000} wraps to 0, ending
 *       the body early; the page never sends chunked bodies.
 *   <li>A declared length above the limit gets 413 at once, without reading.
 *   <li>The declared bytes must arrive within the read timeout, or the answer is 408.
 * </ul>
 * Every refusal closes the connection: the unread rest of the body would otherwise be read as the
 * next request (or, by the JDK server, drained first, waiting for bytes that may never come).
 */
final class RequestBody {
    private static final Runnable NOTHING = () -> {};

    private RequestBody() {}

    /** True when the request says a body follows (a positive Content-Length, or chunked). */
    static boolean declared(HttpExchange ex) {
        var h = ex.getRequestHeaders();
        if (h.containsKey("Transfer-Encoding")) return true;
        String n = h.getFirst("Content-Length");
        return n != null && !n.trim().equals("0");
    }

    /**
     * The body of {@code ex}.
     *
     * @param readers where the waiting read runs (virtual threads), so that this thread can give up
     * @throws ApiException 411, 413 or 408 (closing the connection), 400 for a body cut short
     * @throws IOException when the client went away
     */
    static byte[] read(HttpExchange ex, int maxBytes, Duration timeout, ExecutorService readers) throws IOException {
        var headers = ex.getRequestHeaders();
        if (headers.containsKey("Transfer-Encoding"))
            throw ApiException.closing(411, "send the body with a Content-Length (chunked request bodies are not accepted)", NOTHING);
        String declared = headers.getFirst("Content-Length");
        if (declared == null) return new byte[0]; // no length and not chunked: HTTP/1.1 says there is no body
        long n;
        try {
            n = Long.parseLong(declared.trim()); // the JDK server already refused non-numbers and negatives
        } catch (NumberFormatException e) {
            throw ApiException.closing(400, "bad Content-Length", NOTHING);
        }
        if (n > maxBytes)
            throw ApiException.closing(413, "request body too large: " + n + " bytes declared, limit " + maxBytes, NOTHING);
        if (n == 0) return new byte[0];
        int length = (int) n;
        InputStream in = ex.getRequestBody();
        byte[] body = new byte[length];
        // A small body usually came with the headers and is buffered already: take it on this thread.
        int got = 0, ready;
        while (got < length && (ready = in.available()) > 0) {
            int r = in.read(body, got, Math.min(ready, length - got));
            if (r < 0) break;
            got += r;
        }
        if (got == length) return body;
        // The rest is still on its way: wait for it on another thread, for at most the read timeout
        // from the moment that thread starts (on a busy machine it may start late: not the client's fault).
        int have = got;
        AtomicLong started = new AtomicLong();
        Future<Integer> reading = readers.submit(() -> {
            started.set(System.nanoTime());
            return in.readNBytes(body, have, length - have);
        });
        long limit = timeout.toNanos(), wait = limit;
        try {
            while (true) {
                try {
                    int read = have + reading.get(wait, TimeUnit.NANOSECONDS);
                    if (read < length)
                        throw ApiException.closing(400, "request body ended after " + read + " of " + length + " bytes", NOTHING);
                    return body;
                } catch (TimeoutException e) {
                    long since = started.get();
                    long waited = since == 0 ? 0 : System.nanoTime() - since;
                    // Answer first, then interrupt the reader: an interrupted channel read closes the socket.
                    if (waited >= limit)
                        throw ApiException.closing(408, "request body not received within " + timeout.toMillis() + " ms",
                                () -> reading.cancel(true));
                    wait = limit - waited;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof UncheckedIOException io) throw io.getCause();
            throw ApiException.closing(400, "unreadable request body", NOTHING);
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        }
    }
}
