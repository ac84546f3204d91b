package org.jgrad.spark;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;

/**
 * The gradient sums of ranks that share one host, through one shared memory mapping instead of
 * sockets, as NCCL's shared-memory transport does between the GPUs of one machine. A socket moves
 * every byte through the kernel twice (about 20 ms of CPU for ResNet-18's 47 MB on this machine,
 * taken from the same cores the backward pass needs); here each rank copies its floats into its own
 * slot of the mapping, sums one chunk of every slot, and copies the sums back: three passes over
 * memory in user space and two barriers per piece of up to 16 MiB.
 *
 * <p>Layout of the mapping: one 64-byte line per rank (its barrier generation), then {@code size} slots of {@code pieceFloats} floats, then one result slot.
 * A call longer than a slot goes through in pieces. Each chunk is summed by one rank, in rank order,
 * scaled once and copied by the others, so replicas stay bit-identical (for two ranks the bits equal
 * the ring's: float addition is commutative).
 *
 * <p>The barriers wait on a doorbell, one byte around the ring's sockets ({@link
 * RingAllReduce#doorbell}): a waiting rank sleeps in the kernel until its peers have arrived, taking
 * no CPU from the compute threads, and every wait is bounded like the ring's: a peer that does not
 * arrive within the timeout fails the call naming it; a peer whose task failed or whose executor died
 * (its sockets closed) fails it at once; an interrupt (Spark killing the task) ends it. The small
 * exchanges ({@link #gather}) and the connection itself stay on the ring too.
 */
final class SharedMemoryAllReduce implements RankTrainer.Comm, java.io.Closeable {
    /** Floats per slot: 16 MiB, so that two ranks map 48 MiB and a 25 MiB bucket goes in two pieces. */
    static final int DEFAULT_PIECE_FLOATS = 4 << 20;
    private static final long LINE = 64;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfFloat FLOAT = RingAllReduce.FLOAT;

    private final RingAllReduce ring;
    private final int rank, size, pieceFloats;
    private final long timeoutMillis;
    private final Arena arena;
    private final MemorySegment map;
    private long generation;
    private boolean closed;
    /** {@link #sumChunk}'s blocks: 8 KiB each, two of them in a core's first-level cache. */
    private static final int BLOCK = 2048;
    private final float[] blockAcc = new float[BLOCK], blockTmp = new float[BLOCK];

    private SharedMemoryAllReduce(RingAllReduce ring, int rank, Arena arena, MemorySegment map, int pieceFloats,
            long timeoutMillis) {
        this.ring = ring;
        this.rank = rank;
        this.size = ring.size();
        this.arena = arena;
        this.map = map;
        this.pieceFloats = pieceFloats;
        this.timeoutMillis = timeoutMillis;
    }

    /** Bytes of the mapping for {@code size} ranks and slots of {@code pieceFloats}. */
    static long mappingBytes(int size, int pieceFloats) {
        return LINE * size + 4L * pieceFloats * (size + 1);
    }

    /**
     * The comm the ranks of {@code ring} should sum through: a shared mapping if every rank is on
     * this host (all addresses name one host) and every rank could map it, else the ring itself. All
     * ranks must call this together after connecting the ring; they agree through two small gathers
     * on the ring. The file behind the mapping is deleted as soon as every rank has mapped it, so
     * nothing is left behind whatever happens later.
     *
     * @param addresses every rank's endpoint address as exchanged ("host:port|socket")
     * @param runId names the mapping's file; the same string on every rank of one attempt
     */
    static RankTrainer.Comm attach(RingAllReduce ring, int rank, String[] addresses, String runId, long timeoutMillis)
            throws IOException, TimeoutException {
        return attach(ring, rank, addresses, runId, timeoutMillis, DEFAULT_PIECE_FLOATS);
    }

    static RankTrainer.Comm attach(RingAllReduce ring, int rank, String[] addresses, String runId, long timeoutMillis,
            int pieceFloats) throws IOException, TimeoutException {
        int size = ring.size();
        if (size == 1 || !oneHost(addresses)) return ring;
        long bytes = mappingBytes(size, pieceFloats);
        Path[] dirs = {Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir"))};
        String name = fileName(runId);
        // Rank 0 makes the file in the first place that has room (tmpfs if there is one: no disk
        // writes) and tells the others which; 0 means none.
        double where = 0;
        if (rank == 0) {
            for (int d = 0; d < dirs.length && where == 0; d++) {
                try {
                    if (!Files.isDirectory(dirs[d]) || Files.getFileStore(dirs[d]).getUsableSpace() < bytes + (1 << 20)) continue;
                    Path p = dirs[d].resolve(name);
                    Files.deleteIfExists(p); // a leftover of a killed attempt with the same id
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE)) {
                        ch.truncate(bytes);
                        ch.write(java.nio.ByteBuffer.allocate(1), bytes - 1); // sized, zero-filled
                    }
                    where = d + 1;
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    // Not usable here: try the next place, or stay on the sockets.
                }
            }
        }
        where = ring.gather(new double[] {where}, "setting up shared memory")[0][0];
        if (where == 0) return ring;
        Path file = dirs[(int) where - 1].resolve(name);
        Arena arena = Arena.ofShared();
        MemorySegment map = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() == bytes) map = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Another file system after all (a container of its own): the sockets it is.
        }
        double[][] ok = ring.gather(new double[] {map != null ? 1 : 0}, "setting up shared memory");
        if (rank == 0) Files.deleteIfExists(file);
        boolean all = true;
        for (double[] o : ok) all &= o[0] == 1;
        if (!all) {
            arena.close();
            return ring;
        }
        return new SharedMemoryAllReduce(ring, rank, arena, map, pieceFloats, timeoutMillis);
    }

    private static boolean oneHost(String[] addresses) {
        String first = RingAllReduce.host(addresses[0]);
        for (String a : addresses) if (!RingAllReduce.host(a).equals(first)) return false;
        return true;
    }

    /** The mapping's file name for a run: its id's digest (the id itself may hold any character). */
    static String fileName(String runId) {
        return "jgrad-allreduce-" + digest(runId) + ".shm";
    }

    private static String digest(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long slot(int r) {
        return LINE * size + 4L * pieceFloats * r;
    }

    @Override
    public int size() {
        return size;
    }

    /** This rank's slot, so that a bucket is written where the sum reads it (one copy less each way). */
    @Override
    public MemorySegment staging(long n) {
        return n <= pieceFloats ? map.asSlice(slot(rank), 4 * n) : null;
    }

    @Override
    public MemorySegment sumStaged(long n, float scale, String what) throws IOException, TimeoutException {
        if (n > pieceFloats) throw new IllegalArgumentException(n + " floats do not fit a slot of " + pieceFloats);
        reducePiece((int) n, scale, what);
        // Safe to read until this rank's next call: nobody writes the result slot again before every
        // rank, this one included, has passed that call's first barrier.
        return map.asSlice(slot(size), 4 * n);
    }

    @Override
    public long stagingBytes() {
        return 4L * pieceFloats;
    }

    @Override
    public String transport() {
        return "shared memory";
    }

    @Override
    public double[][] gather(double[] mine, String what) throws IOException, TimeoutException {
        return ring.gather(mine, what);
    }

    @Override
    public void sum(float[] data, int n, String what) throws IOException, TimeoutException {
        MemorySegment heap = MemorySegment.ofArray(data);
        for (long from = 0; from < n; from += pieceFloats) {
            int m = (int) Math.min(pieceFloats, n - from);
            MemorySegment.copy(heap, ValueLayout.JAVA_FLOAT, 4 * from, map, FLOAT, slot(rank), m);
            reducePiece(m, 1f, what);
            MemorySegment.copy(map, FLOAT, slot(size), heap, ValueLayout.JAVA_FLOAT, 4 * from, m);
        }
    }

    /**
     * Replaces the first {@code n} floats of {@code data} by {@code scale} times their sum over the
     * ranks; every rank gets the same bits. Every rank must make the same calls in the same order.
     */
    @Override
    public void sum(MemorySegment data, long n, float scale, String what) throws IOException, TimeoutException {
        for (long from = 0; from < n; from += pieceFloats) {
            int m = (int) Math.min(pieceFloats, n - from);
            MemorySegment.copy(data, 4 * from, map, slot(rank), 4L * m);
            reducePiece(m, scale, what);
            // No barrier needed before the next piece: nobody writes the result slot again before
            // every rank has passed the next piece's first barrier, i.e. finished this copy.
            MemorySegment.copy(map, slot(size), data, 4 * from, 4L * m);
        }
    }

    @Override
    public boolean sumsArrays() {
        return true;
    }

    /**
     * Sums heap arrays over the ranks with less than two thirds of the memory traffic of copying the
     * vector into the slot and the result back out: this rank writes into its slot only the parts
     * the other ranks sum, sums its own chunk reading its sources and the other slots and writing the
     * result into its destinations and the result slot, and then copies the other chunks' results
     * into its destinations. The sums are those of {@link #reducePiece}: each element summed over the
     * ranks in rank order by one rank, scaled once, the same bits on every rank.
     */
    @Override
    public void sumArrays(float[][] src, int[] srcFrom, float[][] dst, int[] dstFrom, int[] lengths, float own, float scale,
            String what) throws IOException, TimeoutException {
        long total = 0;
        for (int l : lengths) total += l;
        for (long p = 0; p < total; p += pieceFloats)
            sumArraysPiece(src, srcFrom, dst, dstFrom, lengths, p, (int) Math.min(pieceFloats, total - p), own, scale, what);
    }

    /** Elements {@code p .. p+m} of the vector {@link #sumArrays} sums, as one piece through the slots. */
    private void sumArraysPiece(float[][] src, int[] srcFrom, float[][] dst, int[] dstFrom, int[] lengths, long p, int m,
            float own, float scale, String what) throws IOException, TimeoutException {
        int chunk = (m + size - 1) / size;
        // This rank's chunk of the piece, [lo, hi) in the vector's elements.
        long lo = p + Math.min(m, (long) rank * chunk), hi = Math.min(p + m, lo + chunk), end = p + m;
        long mine = slot(rank) - 4 * p, out = slot(size) - 4 * p; // slot addresses by vector element
        // The other ranks' chunks of this rank's floats, where they read them.
        long at = 0;
        for (int j = 0; j < lengths.length; at += lengths[j++]) {
            put(src[j], srcFrom[j], at, lengths[j], p, lo, mine, own);
            put(src[j], srcFrom[j], at, lengths[j], hi, end, mine, own);
        }
        barrier(what);
        at = 0;
        for (int j = 0; j < lengths.length; at += lengths[j++]) {
            long a = Math.max(lo, at), b = Math.min(hi, at + lengths[j]);
            if (a < b) sumChunk(src[j], srcFrom[j] + (int) (a - at), dst[j], dstFrom[j] + (int) (a - at), a - p, (int) (b - a),
                    own, scale);
        }
        barrier(what);
        // Every other chunk's result, into this rank's destinations. Nobody writes the result slot
        // again before every rank has passed the next piece's first barrier, i.e. finished these copies.
        at = 0;
        for (int j = 0; j < lengths.length; at += lengths[j++]) {
            take(dst[j], dstFrom[j], at, lengths[j], p, lo, out);
            take(dst[j], dstFrom[j], at, lengths[j], hi, end, out);
        }
    }

    /**
     * The elements {@code [x, y)} of the vector that fall in range {@code a[off .. off+len]} (element
     * {@code at} onwards), times {@code own}, to the slot whose element 0 is at {@code base}; zeros
     * for a null {@code a}.
     */
    private void put(float[] a, int off, long at, int len, long x, long y, long base, float own) {
        long s = Math.max(x, at), e = Math.min(y, at + len);
        if (s >= e) return;
        int k0 = off + (int) (s - at), n = (int) (e - s);
        if (a == null) {
            map.asSlice(base + 4 * s, 4L * n).fill((byte) 0);
        } else if (own == 1f) {
            MemorySegment.copy(a, k0, map, FLOAT, base + 4 * s, n);
        } else {
            // The end of the data: each rank weighs its mean by its share of the samples.
            for (int k = 0; k < n; k++) map.set(FLOAT, base + 4 * (s + k), a[k0 + k] * own);
        }
    }

    /** The elements {@code [x, y)} from the slot at {@code base} into {@code a}, laid out as in {@link #put}. */
    private void take(float[] a, int off, long at, int len, long x, long y, long base) {
        long s = Math.max(x, at), e = Math.min(y, at + len);
        if (s < e) MemorySegment.copy(map, FLOAT, base + 4 * s, a, off + (int) (s - at), (int) (e - s));
    }

    /**
     * This rank's chunk: elements {@code at .. at+n} of the piece, {@code a[off ..]} here (null:
     * zeros): the sum over the ranks in rank order (this rank's own floats times {@code own}), times
     * {@code scale}, into {@code d[doff ..]} and the result slot. Block by block through two small
     * arrays that stay in the core's cache: the large arrays and the slots are each read or written
     * once, and the sums are plain array loops the JIT compiler vectorizes.
     */
    private void sumChunk(float[] a, int off, float[] d, int doff, long at, int n, float own, float scale) {
        float[] acc = blockAcc, tmp = blockTmp;
        for (int b = 0; b < n; b += BLOCK) {
            int len = Math.min(BLOCK, n - b);
            long e = at + b; // element of the piece
            for (int r = 0; r < size; r++) {
                float[] term = tmp;
                int t0 = 0;
                if (r != rank) {
                    MemorySegment.copy(map, FLOAT, slot(r) + 4 * e, tmp, 0, len);
                } else if (a == null) {
                    Arrays.fill(tmp, 0, len, 0f);
                } else if (own == 1f) {
                    term = a;
                    t0 = off + b;
                } else {
                    for (int k = 0; k < len; k++) tmp[k] = a[off + b + k] * own;
                }
                if (r == 0) System.arraycopy(term, t0, acc, 0, len);
                else for (int k = 0; k < len; k++) acc[k] += term[t0 + k];
            }
            if (scale != 1f) for (int k = 0; k < len; k++) acc[k] *= scale;
            System.arraycopy(acc, 0, d, doff + b, len);
            MemorySegment.copy(acc, 0, map, FLOAT, slot(size) + 4 * e, len);
        }
    }

    /**
     * With this rank's floats in its slot: waits for every slot to be filled, sums this rank's chunk
     * of the piece over the slots in rank order into the result slot, and waits for every chunk.
     */
    private void reducePiece(int m, float scale, String what) throws IOException, TimeoutException {
        barrier(what);
        int chunk = (m + size - 1) / size;
        long from = 4L * Math.min(m, rank * chunk), to = 4L * Math.min(m, rank * chunk + chunk);
        long out = slot(size) - slot(0);
        // One plain pass per slot (loops the JIT vectorizes): out = s0; out += s1; ...; out *= scale,
        // the same rounding as summing each element left to right and scaling the total once.
        MemorySegment slots = map.asSlice(slot(0));
        MemorySegment.copy(slots, from, slots, out + from, to - from);
        for (int r = 1; r < size; r++) {
            long src = slot(r) - slot(0);
            for (long at = from; at < to; at += 4)
                slots.set(FLOAT, out + at, slots.get(FLOAT, out + at) + slots.get(FLOAT, src + at));
        }
        if (scale != 1f)
            for (long at = from; at < to; at += 4) slots.set(FLOAT, out + at, slots.get(FLOAT, out + at) * scale);
        barrier(what);
    }

    /**
     * Waits until every rank has reached this barrier, without spending CPU on it: this rank publishes
     * its generation in its line, then rings the doorbell on the ring's sockets ({@link
     * RingAllReduce#doorbell}), which sleeps in the kernel until the other ranks have rung theirs. A
     * poll (spinning, then napping) took the CPU the backward pass on the other core needed. The
     * generations are checked after the doorbell: the bytes travel only after the slots are written,
     * so every rank's generation must be there by then.
     */
    private void barrier(String what) throws IOException, TimeoutException {
        long gen = ++generation;
        LONG.setVolatile(map, LINE * rank, gen);
        ring.doorbell(what, timeoutMillis);
        for (int r = 0; r < size; r++)
            if ((long) LONG.getVolatile(map, LINE * r) < gen)
                throw new IllegalStateException("jgrad-spark all-reduce: rank " + r + " rang the doorbell at " + what
                        + " before reaching that barrier in shared memory (generation " + LONG.getVolatile(map, LINE * r)
                        + ", expected " + gen + ")");
    }

    /**
     * Unmaps this rank's view; the ring stays open (its owner closes it, and that is what tells the
     * other ranks, waiting at a doorbell, that this one has gone).
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            arena.close();
        } catch (IllegalStateException e) {
            // A bucket's thread still inside the mapping (a failure on the way out): the mapping goes
            // with the arena's last user; the failure that brought us here is the one to report.
        }
    }
}
