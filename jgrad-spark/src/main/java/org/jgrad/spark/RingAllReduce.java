package org.jgrad.spark;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Sums a float array across the ranks of one training run, leaving every rank with the same bits: a
 * ring all-reduce (reduce-scatter, then all-gather) over plain TCP between the Spark tasks. Each rank
 * sends to the next rank on one connection and receives from the previous one on another, both at
 * once through one selector, so a transfer never waits on the peer's reads. Every wait is bounded: a
 * peer that sends nothing for {@code timeoutMillis} (dead, stuck, or on the wrong side of a firewall)
 * fails the call with a message naming it, and an interrupt (Spark killing the task) ends it at once.
 *
 * <p>Traffic per rank per call: 2·(W−1)/W of the array, the bandwidth-optimal amount. The reduced
 * value of each chunk is summed on one rank and copied to the others, so replicas stay bit-identical.
 */
final class RingAllReduce implements Closeable, RankTrainer.Comm {
    /** First bytes of every connection: "jgrd", then the run id's hash and the sender's rank. */
    private static final int MAGIC = 0x6A677264;

    private final int rank, size;
    private final long timeoutMillis;
    private final SocketChannel toNext, fromPrev;
    private final Selector selector;
    private final SelectionKey sendKey, recvKey;
    /** Wire order of the floats, the same on every platform. */
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The doorbell's byte, each way (see {@link #doorbell}). */
    private static final byte BELL = 0x62;
    private final ByteBuffer bellOut = ByteBuffer.allocateDirect(1), bellIn = ByteBuffer.allocateDirect(1);

    private ByteBuffer recvBuf = ByteBuffer.allocateDirect(0);
    private MemorySegment recvSeg = MemorySegment.ofBuffer(recvBuf);
    /** Where {@link #sum(float[], int, String)} stages a heap array. */
    private MemorySegment staging = MemorySegment.NULL;
    private long bytesSent;

    private RingAllReduce(int rank, int size, long timeoutMillis, SocketChannel toNext, SocketChannel fromPrev)
            throws IOException {
        this.rank = rank;
        this.size = size;
        this.timeoutMillis = timeoutMillis;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        selector = Selector.open();
        if (toNext != null) {
            toNext.configureBlocking(false);
            fromPrev.configureBlocking(false);
            sendKey = toNext.register(selector, 0);
            recvKey = fromPrev.register(selector, 0);
        } else {
            sendKey = recvKey = null;
        }
    }

    /**
     * Where a rank waits for its previous rank, opened before the addresses are exchanged: a TCP port,
     * and, when {@code java.io.tmpdir} allows it, a Unix-domain socket for a previous rank on the same
     * host (two executors of one machine). On one host a Unix-domain socket moves the bytes with about
     * half the CPU time of loopback TCP, CPU the training's own threads need.
     */
    static final class Endpoint implements Closeable {
        final ServerSocketChannel tcp;
        final ServerSocketChannel unix;
        final Path unixPath;

        private Endpoint(ServerSocketChannel tcp, ServerSocketChannel unix, Path unixPath) {
            this.tcp = tcp;
            this.unix = unix;
            this.unixPath = unixPath;
        }

        /** This endpoint's address as the other ranks dial it: "host:port", then "|" and the socket's path if there is one. */
        String address(String host) throws IOException {
            int port = ((InetSocketAddress) tcp.getLocalAddress()).getPort();
            return host + ":" + port + (unixPath == null ? "" : "|" + unixPath);
        }

        @Override
        public void close() throws IOException {
            try {
                tcp.close();
                if (unix != null) unix.close();
            } finally {
                if (unixPath != null) Files.deleteIfExists(unixPath);
            }
        }
    }

    /** An endpoint on any free port, with a Unix-domain socket when {@code sameHost} connections are wanted. */
    static Endpoint listen(boolean sameHost) throws IOException {
        return listen(0, sameHost);
    }

    /** An endpoint on TCP port {@code port} (0: any free port), with a Unix-domain socket if {@code sameHost}. */
    static Endpoint listen(int port, boolean sameHost) throws IOException {
        ServerSocketChannel tcp = ServerSocketChannel.open();
        try {
            tcp.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            tcp.close();
            throw e;
        }
        ServerSocketChannel unix = null;
        Path path = null;
        if (sameHost) {
            try {
                path = Path.of(System.getProperty("java.io.tmpdir"), "jgrad-" + UUID.randomUUID().toString().substring(0, 13)
                        + ".sock").toAbsolutePath();
                // The kernel's limit for a socket path is about 108 bytes (a YARN container's tmp can be longer).
                if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) throw new IOException("path");
                unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(UnixDomainSocketAddress.of(path));
            } catch (IOException | UnsupportedOperationException e) {
                // No usable Unix-domain socket here: the ranks use TCP, as between hosts.
                if (unix != null) unix.close();
                unix = null;
                path = null;
            }
        }
        return new Endpoint(tcp, unix, path);
    }

    /**
     * Connects the ring: dials rank+1 at {@code addresses[rank+1]} (see {@link Endpoint#address}) and
     * accepts rank−1 on {@code endpoint}, each within {@code timeoutMillis}; closes the endpoint. A
     * peer whose host is this rank's own host is dialed on its Unix-domain socket if it has one (and on
     * TCP if that fails). {@code runId} keeps a stray connection from another run (or an earlier attempt
     * of this one) out.
     */
    static RingAllReduce connect(int rank, String[] addresses, Endpoint endpoint, String runId, long timeoutMillis)
            throws IOException, TimeoutException {
        int size = addresses.length;
        try (endpoint) {
            if (size == 1) return new RingAllReduce(0, 1, timeoutMillis, null, null);
            int next = (rank + 1) % size, prev = (rank + size - 1) % size;
            int runHash = runId.hashCode();
            SocketChannel out = null, in = null;
            try {
                out = dial(addresses[next], host(addresses[rank]), next, timeoutMillis);
                if (out.getRemoteAddress() instanceof InetSocketAddress) out.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer hello = ByteBuffer.allocate(12).putInt(MAGIC).putInt(runHash).putInt(rank).flip();
                while (hello.hasRemaining()) out.write(hello);
                in = accept(endpoint, prev, runHash, timeoutMillis, rank);
                if (in.getRemoteAddress() instanceof InetSocketAddress) in.setOption(StandardSocketOptions.TCP_NODELAY, true);
                return new RingAllReduce(rank, size, timeoutMillis, out, in);
            } catch (IOException | TimeoutException | RuntimeException e) {
                if (out != null) out.close();
                if (in != null) in.close();
                throw e;
            }
        }
    }

    /** The host part of an endpoint address ("host:port|socket"). */
    static String host(String address) {
        String tcp = address.contains("|") ? address.substring(0, address.indexOf('|')) : address;
        return tcp.substring(0, tcp.lastIndexOf(':'));
    }

    /** Whether this ring's connections to its neighbours are Unix-domain sockets (same host), for tests and logs. */
    boolean sameHostTransport() {
        try {
            return toNext != null && !(toNext.getRemoteAddress() instanceof InetSocketAddress)
                    && !(fromPrev.getRemoteAddress() instanceof InetSocketAddress);
        } catch (IOException e) {
            return false;
        }
    }

    private static SocketChannel dial(String address, String myHost, int peer, long timeoutMillis)
            throws IOException, TimeoutException {
        int bar = address.indexOf('|');
        String tcp = bar < 0 ? address : address.substring(0, bar);
        int colon = tcp.lastIndexOf(':');
        String host = tcp.substring(0, colon);
        int port = Integer.parseInt(tcp.substring(colon + 1));
        if (bar >= 0 && host.equals(myHost)) {
            try {
                return SocketChannel.open(UnixDomainSocketAddress.of(address.substring(bar + 1)));
            } catch (IOException | RuntimeException e) {
                // Not this host's file system after all (a container of its own), or no permission: TCP.
            }
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        IOException last = null;
        // The peer opened its socket before the exchange, so a refusal is a real failure only after
        // the timeout: retrying covers a slow accept backlog, not a missing peer.
        while (System.nanoTime() < deadline) {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.socket().connect(new InetSocketAddress(host, port),
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000L)));
                return ch;
            } catch (IOException e) {
                ch.close();
                last = e;
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("interrupted");
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while connecting to rank " + peer);
                }
            }
        }
        throw new TimeoutException("jgrad-spark all-reduce: could not connect to rank " + peer + " at " + tcp
                + " within " + timeoutMillis + " ms" + (last != null ? " (" + last + ")" : "")
                + "; are the executors' ports reachable from each other?");
    }

    private static SocketChannel accept(Endpoint endpoint, int prev, int runHash, long timeoutMillis, int rank)
            throws IOException, TimeoutException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (Selector sel = Selector.open()) {
            for (ServerSocketChannel server : new ServerSocketChannel[] {endpoint.tcp, endpoint.unix}) {
                if (server == null) continue;
                server.configureBlocking(false);
                server.register(sel, SelectionKey.OP_ACCEPT);
            }
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0)
                    throw new TimeoutException("jgrad-spark all-reduce: rank " + rank + " waited " + timeoutMillis
                            + " ms for rank " + prev + " to connect");
                sel.select(left);
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("interrupted");
                for (SelectionKey key : sel.selectedKeys()) {
                    SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
                    if (ch == null) continue;
                    // A stranger (a port scanner, a connection from an earlier attempt) is dropped, not trusted.
                    if (hello(ch, Math.min(left, 10_000), prev, runHash)) return ch;
                    ch.close();
                }
                sel.selectedKeys().clear();
            }
        }
    }

    /** Reads the 12-byte greeting within {@code millis}; true if it is rank {@code prev}'s of this run. */
    private static boolean hello(SocketChannel ch, long millis, int prev, int runHash) throws IOException {
        ByteBuffer hello = ByteBuffer.allocate(12);
        long deadline = System.nanoTime() + millis * 1_000_000L;
        ch.configureBlocking(false);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (hello.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return false;
                sel.select(left);
                sel.selectedKeys().clear();
                if (ch.read(hello) < 0) return false;
            }
        } catch (IOException e) {
            return false;
        }
        hello.flip();
        return hello.getInt() == MAGIC && hello.getInt() == runHash && hello.getInt() == prev;
    }

    /** Number of ranks. */
    @Override
    public int size() {
        return size;
    }

    @Override
    public String transport() {
        return size == 1 ? "none" : sameHostTransport() ? "Unix-domain socket" : "TCP";
    }

    /** Bytes this rank has sent so far. */
    long bytesSent() {
        return bytesSent;
    }

    /**
     * Replaces {@code data[0, n)} by its element-wise sum over all ranks. Every rank must call this
     * with the same {@code n}, in the same order of calls. (Through a direct buffer: the gradient
     * path uses {@link #sum(MemorySegment, long, float, String)} on its own direct buckets.)
     *
     * @param what names the call in a timeout message ("step 12")
     */
    @Override
    public void sum(float[] data, int n, String what) throws IOException, TimeoutException {
        if (size == 1) return;
        if (staging.byteSize() < 4L * n) staging = Arena.ofAuto().allocate(4L * n, 64);
        MemorySegment.copy(data, 0, staging, FLOAT, 0, n);
        sum(staging, n, 1f, what);
        MemorySegment.copy(staging, FLOAT, 0, data, 0, n);
    }

    /**
     * Replaces the first {@code n} floats of {@code data} (little-endian, in native memory, e.g. a
     * direct buffer) by {@code scale} times their element-wise sum over all ranks; every rank gets the
     * same bits. Every rank must call this with the same {@code n}, in the same order of calls.
     *
     * <p>Nothing is copied on this side but what the sum itself needs: chunks are sent straight from
     * {@code data}, received chunks are added into it as their bytes arrive (while they are still in
     * cache), and the all-gather receives straight into it. The scale is applied once, to the finished
     * sum of each chunk, by the rank that summed it.
     */
    @Override
    public void sum(MemorySegment data, long n, float scale, String what) throws IOException, TimeoutException {
        if (size == 1) {
            if (scale != 1f) scaleInPlace(data, 0, n, scale);
            return;
        }
        long chunk = (n + size - 1) / size;
        if (4 * chunk > Integer.MAX_VALUE)
            throw new IllegalArgumentException("jgrad-spark all-reduce: " + n + " floats in one call over " + size
                    + " ranks make chunks over 2 GB; use smaller buckets");
        ensure((int) chunk);
        ByteBuffer whole = data.asByteBuffer();
        // Reduce-scatter: after size-1 rounds rank r holds the full sum of chunk (r+1) mod size.
        for (int k = 0; k < size - 1; k++) {
            int sendC = Math.floorMod(rank - k, size), recvC = Math.floorMod(rank - k - 1, size);
            long rFrom = recvC * chunk, rLen = Math.max(0, Math.min(n, rFrom + chunk) - rFrom);
            float s = k == size - 2 ? scale : 1f;
            recvBuf.clear().limit((int) (4 * rLen));
            transfer(slice(whole, sendC * chunk, chunk, n), recvBuf, what,
                    (from, to) -> addInto(data, 4 * rFrom + from, recvSeg, from, (to - from) / 4, s), timeoutMillis);
        }
        // All-gather: pass the finished chunks around the ring, straight into place.
        for (int k = 0; k < size - 1; k++) {
            int sendC = Math.floorMod(rank + 1 - k, size), recvC = Math.floorMod(rank - k, size);
            transfer(slice(whole, sendC * chunk, chunk, n), slice(whole, recvC * chunk, chunk, n), what, null, timeoutMillis);
        }
    }

    /** The bytes of chunk floats {@code [from, from + chunk)} of the first {@code n}, as a buffer of their own. */
    private static ByteBuffer slice(ByteBuffer whole, long from, long chunk, long n) {
        long len = Math.max(0, Math.min(n, from + chunk) - from);
        return whole.slice((int) (4 * Math.min(from, n)), (int) (4 * len));
    }

    /** {@code dst[dstByte..] = (dst + src[srcByte..]) * scale}, {@code count} floats; rounding as two separate steps. */
    static void addInto(MemorySegment dst, long dstByte, MemorySegment src, long srcByte, int count, float scale) {
        if (scale == 1f) {
            for (int i = 0; i < count; i++) {
                long d = dstByte + 4L * i;
                dst.set(FLOAT, d, dst.get(FLOAT, d) + src.get(FLOAT, srcByte + 4L * i));
            }
        } else {
            for (int i = 0; i < count; i++) {
                long d = dstByte + 4L * i;
                float v = dst.get(FLOAT, d) + src.get(FLOAT, srcByte + 4L * i);
                dst.set(FLOAT, d, v * scale);
            }
        }
    }

    private static void scaleInPlace(MemorySegment data, long from, long count, float scale) {
        for (long i = 4 * from; i < 4 * (from + count); i += 4) data.set(FLOAT, i, data.get(FLOAT, i) * scale);
    }

    private void ensure(int chunk) {
        if (recvBuf.capacity() < 4 * chunk) {
            recvBuf = ByteBuffer.allocateDirect(4 * chunk).order(ByteOrder.LITTLE_ENDIAN);
            recvSeg = MemorySegment.ofBuffer(recvBuf);
        }
    }

    /**
     * Every rank's {@code mine} (all of one length), in rank order: the ranks pass the blocks around
     * the ring, W−1 hops. Small vectors (losses, counts, status flags), so doubles stay exact.
     */
    @Override
    public double[][] gather(double[] mine, String what) throws IOException, TimeoutException {
        double[][] all = new double[size][];
        all[rank] = mine.clone();
        if (size == 1) return all;
        ByteBuffer out = ByteBuffer.allocate(8 * mine.length), in = ByteBuffer.allocate(8 * mine.length);
        for (int k = 0; k < size - 1; k++) {
            int sendR = Math.floorMod(rank - k, size), recvR = Math.floorMod(rank - k - 1, size);
            out.clear();
            out.asDoubleBuffer().put(all[sendR]);
            in.clear();
            transfer(out, in, what, null, timeoutMillis);
            all[recvR] = new double[mine.length];
            in.asDoubleBuffer().get(all[recvR]);
        }
        return all;
    }

    /**
     * A barrier that costs no CPU while it waits: returns once every rank has called it (the same
     * number of times), each rank passing one byte to the next, W−1 rounds, so that after round k a
     * rank has heard, through its previous rank, of the k+1 ranks before it. A rank whose byte has not
     * come yet sleeps in the kernel until it does; the shared-memory transport rings it where it
     * would otherwise poll. A peer that sends nothing for {@code timeoutMillis} fails it naming the
     * rank waited for, a closed connection (a failed task, a dead executor) at once, and an interrupt
     * ends it. Every rank must make the same calls on this ring in the same order.
     */
    void doorbell(String what, long timeoutMillis) throws IOException, TimeoutException {
        for (int k = 0; k < size - 1; k++) {
            bellOut.clear().put(0, BELL);
            bellIn.clear();
            transfer(bellOut, bellIn, what, null, timeoutMillis);
            if (bellIn.get(0) != BELL)
                throw new IOException("jgrad-spark all-reduce: rank " + Math.floorMod(rank - 1, size) + " is out of step at "
                        + what + " (byte " + bellIn.get(0) + " where the doorbell was expected)");
        }
    }

    /** Told which bytes of the receive buffer have arrived: {@code [from, to)}, whole floats. */
    @FunctionalInterface
    interface Arrival {
        void received(int from, int to);
    }

    /**
     * Writes all of {@code send} to the next rank while filling {@code recv} from the previous one;
     * {@code arrival}, when given, is told of each new run of whole floats as it comes in. Fails after
     * {@code timeoutMillis} without progress.
     */
    private void transfer(ByteBuffer send, ByteBuffer recv, String what, Arrival arrival, long timeoutMillis)
            throws IOException, TimeoutException {
        ByteBuffer sendBuf = send, recvBuf = recv;
        int start = recvBuf.position(), done = start;
        long lastProgress = System.nanoTime();
        while (sendBuf.hasRemaining() || recvBuf.hasRemaining()) {
            if (Thread.currentThread().isInterrupted())
                throw new java.io.InterruptedIOException("jgrad-spark all-reduce: interrupted at " + what);
            boolean progress = false;
            // Try both directions first: the socket buffers usually take or give something at once,
            // and a select per piece costs a system call more.
            if (sendBuf.hasRemaining()) {
                int w;
                try {
                    w = toNext.write(sendBuf);
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    throw interrupted(what, e);
                } catch (IOException e) { // a broken pipe: the next rank is gone
                    throw new IOException("jgrad-spark all-reduce: rank " + (rank + 1) % size + " closed its connection at "
                            + what + " (its task failed or its executor died): " + e.getMessage(), e);
                }
                bytesSent += w;
                progress |= w > 0;
            }
            if (recvBuf.hasRemaining()) {
                int r;
                try {
                    r = fromPrev.read(recvBuf);
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    throw interrupted(what, e);
                } catch (IOException e) { // a reset connection
                    throw new IOException("jgrad-spark all-reduce: rank " + Math.floorMod(rank - 1, size) + " closed its"
                            + " connection at " + what + " (its task failed or its executor died): " + e.getMessage(), e);
                }
                if (r < 0)
                    throw new IOException("jgrad-spark all-reduce: rank " + Math.floorMod(rank - 1, size)
                            + " closed its connection at " + what + " (its task failed or its executor died)");
                progress |= r > 0;
                int whole = start + ((recvBuf.position() - start) & ~3);
                if (arrival != null && whole > done) {
                    arrival.received(done - start, whole - start);
                    done = whole;
                }
            }
            if (progress) {
                lastProgress = System.nanoTime();
                continue;
            }
            if (!sendBuf.hasRemaining() && !recvBuf.hasRemaining()) break;
            sendKey.interestOps(sendBuf.hasRemaining() ? SelectionKey.OP_WRITE : 0);
            recvKey.interestOps(recvBuf.hasRemaining() ? SelectionKey.OP_READ : 0);
            long idle = (System.nanoTime() - lastProgress) / 1_000_000L;
            if (idle >= timeoutMillis)
                throw new TimeoutException("jgrad-spark all-reduce: rank " + rank + " made no progress for "
                        + timeoutMillis + " ms at " + what + " (waiting to " + (recvBuf.hasRemaining()
                        ? "receive from rank " + Math.floorMod(rank - 1, size) : "send to rank " + (rank + 1) % size)
                        + "); a peer is dead or stuck");
            selector.select(Math.max(1, timeoutMillis - idle));
            selector.selectedKeys().clear();
        }
        recvBuf.flip();
    }

    /**
     * An interrupt that came during a read or write (the channel closed itself): reported like one
     * that came while waiting, so that callers see one kind of exception for Spark killing the task.
     */
    private static java.io.InterruptedIOException interrupted(String what, java.nio.channels.ClosedByInterruptException e) {
        var out = new java.io.InterruptedIOException("jgrad-spark all-reduce: interrupted at " + what);
        out.initCause(e);
        return out;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        if (toNext != null) toNext.close();
        if (fromPrev != null) fromPrev.close();
    }
}
