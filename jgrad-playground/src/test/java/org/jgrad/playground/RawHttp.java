package org.jgrad.playground;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 exchange over a plain socket, for requests that java.net.http would never send
 * (a false Content-Length, a foreign Host, a chunk size of FFFFFFFFFFFF, a body that stops).
 */
final class RawHttp implements AutoCloseable {
    /** What came back: the status (0 when the connection closed without an answer) and the body. */
    record Response(int status, String head, String body) {}

    private final Socket socket;
    private final InputStream in;

    RawHttp(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(timeoutMillis);
        in = socket.getInputStream();
    }

    /** Sends a whole request, or the first part of one. */
    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Tells the server nothing more will come. */
    RawHttp endOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /**
     * Reads one response: head, then a body of its Content-Length.
     *
     * @throws SocketTimeoutException when nothing (or not all of it) came within the timeout: a hang
     */
    Response read() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b, state = 0;
        while (state < 4 && (b = in.read()) >= 0) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        if (state < 4) return new Response(0, h, "");
        int status = Integer.parseInt(h.substring(9, 12));
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, h, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * True when the server closes the connection (end of stream, or a reset) within the timeout.
     *
     * @throws SocketTimeoutException when it is still open then
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
