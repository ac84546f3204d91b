package org.jgrad.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the backends once per JVM ({@link ServiceLoader}: {@code module-info.java}'s {@code provides}
 * on the module path, {@code META-INF/services} on the class path) and chooses the one that runs:
 * the one {@code -Djgrad.backend=NAME} names, else the available one with the highest priority.
 */
public final class Backends {
    private Backends() {}

    /** The system property that names a backend. */
    public static final String PROPERTY = "jgrad.backend";

    private static final class Holder {
        static final List<Backend> ALL = load();
        static final Backend CURRENT = choose(ALL, System.getProperty(PROPERTY));
    }

    /** The backend every op runs on; chosen at first use and fixed for the JVM's life. */
    public static Backend current() {
        return Holder.CURRENT;
    }

    /** Every backend found, available or not, in priority order. */
    public static List<Backend> all() {
        return Holder.ALL;
    }

    private static List<Backend> load() {
        List<Backend> found = new ArrayList<>();
        ServiceLoader.load(Backend.class, Backend.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(Backend::priority).reversed());
        return List.copyOf(found);
    }

    /**
     * The backend named {@code wanted} (null or blank: the best available one). A named backend that
     * is missing or cannot run is an error that lists what there is, rather than a silent fallback.
     */
    static Backend choose(List<Backend> backends, String wanted) {
        if (backends.isEmpty())
            throw new IllegalStateException("jgrad: no compute backend found (META-INF/services/" + Backend.class.getName()
                    + " is missing from the class path)");
        if (wanted == null || wanted.isBlank()) {
            for (Backend b : backends) if (b.unavailableReason() == null) return b;
            throw new IllegalStateException("jgrad: no compute backend can run here: " + describe(backends));
        }
        for (Backend b : backends) {
            if (!b.name().equals(wanted.trim())) continue;
            String why = b.unavailableReason();
            if (why != null)
                throw new IllegalStateException("jgrad: -D" + PROPERTY + "=" + wanted + " cannot run: " + why);
            return b;
        }
        throw new IllegalStateException("jgrad: -D" + PROPERTY + "=" + wanted + " names no backend; there are: "
                + describe(backends));
    }

    private static String describe(List<Backend> backends) {
        StringBuilder s = new StringBuilder();
        for (Backend b : backends) {
            if (s.length() > 0) s.append(", ");
            String why = b.unavailableReason();
            s.append(b.name()).append(why == null ? " (available)" : " (unavailable: " + why + ")");
        }
        return s.toString();
    }
}
