package org.jgrad.backend;

/**
 * One compute backend: where tensors' elements live and what computes on them, op by op. {@code ops/}
 * checks shapes and records autograd nodes, then makes one call per computation on
 * {@link Backends#current()}; nothing above this interface loops over elements. The interface is
 * split by concern so that a backend (and a reader) finds each family in its own file.
 *
 * <p>Backends are found once per JVM through {@link java.util.ServiceLoader} and chosen by
 * {@link Backends}: the CPU backend on the Vector API ({@code "cpu"}) when the JVM has
 * {@code jdk.incubator.vector}, else the plain-Java one ({@code "cpu-scalar"}).
 */
public interface Backend {
    /** The name that {@code -Djgrad.backend=NAME} selects, e.g. {@code "cpu"}. */
    String name();

    /** What runs underneath, for logs and benchmarks, e.g. {@code "cpu: vector(16 x float)"}. */
    String description();

    /**
     * Why this backend cannot run in this JVM, or null when it can. Asked before {@link #priority()}
     * is compared; an unavailable backend is never chosen.
     */
    String unavailableReason();

    /** Among available backends the highest priority is chosen unless {@code jgrad.backend} names one. */
    int priority();

    /**
     * Starts getting the compute paths ready on a background thread and returns at once, for a program
     * that reads its data before the first op (the CPU backend has the JIT compile its GEMM kernels).
     * Once per JVM; by default nothing.
     */
    default void warmUpInBackground() {}

    /** Activation functions. */
    ActivationBackend activations();

    /** Elementwise arithmetic, fills and strided copies. */
    ElementwiseBackend elementwise();

    /** Reductions. */
    ReductionBackend reductions();

    /** Indexing and data movement. */
    IndexBackend indexing();

    /** Matrix products. */
    LinalgBackend linalg();

    /** Loss functions. */
    LossBackend losses();

    /** Normalization layers' computations. */
    NormBackend norms();

    /** Pooling. */
    PoolBackend pooling();

    /** Convolution. */
    ConvBackend conv();

    /** Fused optimizer updates. */
    OptimizerBackend optimizers();

    /** Random fills. */
    RandomBackend random();
}
