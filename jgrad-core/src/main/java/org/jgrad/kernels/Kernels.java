package org.jgrad.kernels;

/**
 * Chooses, once per JVM, the {@link KernelProvider} that {@link Gemm} and {@link Elementwise} run on:
 * the Vector API implementation when the {@code jdk.incubator.vector} module is in the boot layer
 * and loads, otherwise the plain-Java one. {@code -Djgrad.vector=false} forces plain Java. A
 * fallback is reported once on stderr; {@code -Djgrad.verbose=true} reports the choice either way.
 */
public final class Kernels {
    private Kernels() {}

    private static final String VECTOR_CLASS = "org.jgrad.kernels.VectorKernels";
    private static final String NOT_ADDED = "the JVM was started without --add-modules jdk.incubator.vector";

    /** The vector provider, or null with {@link #VECTOR_PROBLEM} saying why not. */
    private static final KernelProvider VECTOR;
    private static final String VECTOR_PROBLEM;

    static {
        KernelProvider v = null;
        String problem = null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            problem = NOT_ADDED;
        } else {
            try {
                // Reflection keeps this class free of any link to jdk.incubator.vector types.
                v = (KernelProvider) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
            } catch (LinkageError | ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                problem = "the Vector API implementation failed to load: " + cause;
            }
        }
        VECTOR = v;
        VECTOR_PROBLEM = problem;
    }

    /** Why the ops do not run on the Vector API provider, or null when they do; set by {@link #choose}. */
    private static String NOT_VECTOR_BECAUSE;

    /** What the ops run on. */
    static final KernelProvider DEFAULT = choose();

    private static KernelProvider choose() {
        boolean verbose = Boolean.getBoolean("jgrad.verbose");
        KernelProvider p;
        String why = null;
        if (!Boolean.parseBoolean(System.getProperty("jgrad.vector", "true"))) {
            p = ScalarKernels.INSTANCE;
            why = "disabled by -Djgrad.vector=false";
        } else if ("cpu-scalar".equals(System.getProperty("jgrad.backend", "").trim())) {
            p = ScalarKernels.INSTANCE;
            why = "chosen by -Djgrad.backend=cpu-scalar";
        } else if (VECTOR == null) {
            p = ScalarKernels.INSTANCE;
            why = VECTOR_PROBLEM;
        } else {
            p = VECTOR;
        }
        if (why != null) System.err.println(fallbackWarning(why));
        else if (verbose) System.err.println("jgrad: using " + p.name() + " kernels");
        NOT_VECTOR_BECAUSE = why;
        return p;
    }

    /**
     * How much slower the plain-Java kernels are on the workload users feel most, CNN training. When
     * the issue was filed one epoch took 254 s instead of 12 s (21x); after the fallback was rewritten
     * for C2's auto-vectorizer (docs/performance.md), {@code jgrad bench} on a quiet 2-core machine put a
     * LeNet-5 epoch at 2.3-2.6x the Vector API's wall time (5.5-5.9 s against 2.3-2.4 s) and the MLP at
     * 2.8-3.1x (BENCHMARKS.md). Re-measure, and say so here, when the kernels change.
     */
    static final String FALLBACK_COST =
            "training a CNN is about 2.5x slower (a LeNet-5 epoch on a quiet 2-core machine: 6 s instead of 2 s)";

    /** The one line printed when jgrad falls back: what happened, what it costs, and the exact fix. */
    static String fallbackWarning(String why) {
        if (!why.equals(NOT_ADDED))
            return "jgrad: using plain-Java kernels (" + why + "); " + FALLBACK_COST;
        return "jgrad: using plain-Java kernels (" + why + "); " + FALLBACK_COST
                + ". Fix: add the JVM option --add-modules jdk.incubator.vector"
                + " (Maven Surefire <argLine>, exec:java MAVEN_OPTS, Gradle jvmArgs, IDE VM options: README)";
    }

    /**
     * Why the kernels in use are not the Vector API ones (module missing, failed to load, disabled by a
     * property), or null when they are. The CPU backends are available or not by this answer.
     */
    public static String vectorUnavailableReason() {
        return DEFAULT == VECTOR ? null : NOT_VECTOR_BECAUSE;
    }

    /** The implementation in use, e.g. {@code "vector(16 x float)"} or {@code "scalar"}. */
    public static String implementation() {
        return DEFAULT.name();
    }

    /** The plain-Java provider; always available. */
    static KernelProvider scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** The Vector API provider, or null when this JVM cannot run it (whatever jgrad.vector says). */
    static KernelProvider vectorOrNull() {
        return VECTOR;
    }
}
