package org.jgrad.spark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every thread of this JVM did on the CPU, from Linux's per-thread scheduler statistics
 * ({@code /proc/self/task/<tid>/schedstat}: nanoseconds on a CPU and nanoseconds runnable but
 * waiting for one). The JVM's own threads (garbage collector, JIT compiler, the VM thread) are not
 * visible to {@code ThreadMXBean}; here they are, so a step's CPU can be split by thread, and the
 * wait for a core tells a slow step that computed more from one that was not scheduled. Elsewhere
 * (no {@code /proc}) every snapshot is empty and the summaries say so.
 */
final class ThreadSchedule {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** Per thread id: its name and {on-CPU ns, run-queue wait ns}. */
    record Snapshot(Map<Long, String> names, Map<Long, long[]> times) {
        boolean isEmpty() {
            return times.isEmpty();
        }
    }

    private ThreadSchedule() {}

    /** Every thread's times now; empty where the kernel does not give them. */
    static Snapshot take() {
        Map<Long, String> names = new HashMap<>();
        Map<Long, long[]> times = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                try {
                    long tid = Long.parseLong(t.getFileName().toString());
                    String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    times.put(tid, new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                    names.put(tid, Files.readString(t.resolve("comm")).trim());
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile, or no schedstat: leave it out.
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Snapshot(Map.of(), Map.of());
        }
        return new Snapshot(names, times);
    }

    /** The kernel's id of the calling thread, or -1 where {@code /proc/thread-self} does not say. */
    static long currentTid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {on-CPU ns, run-queue wait ns} of thread {@code tid} between two snapshots ({-1, -1} if it is not in both). */
    static long[] delta(Snapshot a, Snapshot b, long tid) {
        long[] x = a.times.get(tid), y = b.times.get(tid);
        if (x == null || y == null) return new long[] {-1, -1};
        return new long[] {y[0] - x[0], y[1] - x[1]};
    }

    /**
     * The CPU of every thread between two snapshots, per step and grouped by name (numbers stripped,
     * so "GC Thread#0" and "GC Thread#1" are one line), largest first, leaving out threads that used
     * less than 0.05 ms a step; the training thread is named "training" and the all-reduce's thread
     * "all-reduce". For a log line: "training 81.2, all-reduce 13.5, VM Thread 4.1, ... ms".
     */
    static String summary(Snapshot a, Snapshot b, long steps, long trainingTid) {
        return summary(a, b, (double) Math.max(1, steps), trainingTid);
    }

    /** {@link #summary(Snapshot, Snapshot, long, long)} over a number of steps that need not be whole (a window of wall time). */
    static String summary(Snapshot a, Snapshot b, double steps, long trainingTid) {
        if (a.isEmpty() || b.isEmpty()) return "no per-thread times here";
        Map<String, long[]> byName = new LinkedHashMap<>();
        for (Map.Entry<Long, long[]> e : b.times.entrySet()) {
            long[] before = a.times.getOrDefault(e.getKey(), new long[2]);
            long run = e.getValue()[0] - before[0], wait = e.getValue()[1] - before[1];
            String name = e.getKey() == trainingTid ? "training" : group(b.names.get(e.getKey()));
            long[] acc = byName.computeIfAbsent(name, k -> new long[2]);
            acc[0] += run;
            acc[1] += wait;
        }
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(byName.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        StringBuilder s = new StringBuilder();
        double per = steps * 1e6;
        for (Map.Entry<String, long[]> r : rows) {
            double ms = r.getValue()[0] / per;
            if (ms < 0.05) continue;
            if (s.length() > 0) s.append(", ");
            s.append(r.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f", ms));
        }
        return s.append(" ms").toString();
    }

    private static String group(String name) {
        if (name == null) return "?";
        if (name.startsWith("jgrad-allreduce")) return "all-reduce";
        String g = name.replaceAll("[#\\-]?\\d+$", "").trim();
        return g.isEmpty() ? name : g;
    }
}
