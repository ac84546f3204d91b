package org.jgrad.vision.classic;

/** Distance between two images flattened to vectors (the lectures' k-NN distances). */
public enum Metric {
    /** Manhattan distance {@code Σ_p |I1[p] − I2[p]|}. */
    L1,
    /** Euclidean distance {@code sqrt(Σ_p (I1[p] − I2[p])²)}. */
    L2;

    /** Parses "l1"/"manhattan" or "l2"/"euclidean", case-insensitively. */
    public static Metric of(String s) {
        return switch (s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "l1", "manhattan" -> L1;
            case "l2", "euclidean" -> L2;
            default -> throw new IllegalArgumentException("metric must be l1 or l2, got '" + s + "'");
        };
    }
}
