/**
 * jgrad's core: tensors with define-by-run autograd, layers, losses, optimizers, data loading, the
 * training loop and safetensors files. It needs nothing beyond the JDK.
 *
 * <p>The fast CPU kernels use the incubating Vector API. It is optional ({@code requires static}):
 * start the JVM with {@code --add-modules jdk.incubator.vector} to get it; without it jgrad runs on
 * plain-Java kernels and says so once on stderr.
 *
 * <p>{@code org.jgrad.kernels} (raw loops on {@code float[]}, the thread pool) and
 * {@code org.jgrad.internal} (a tensor's raw elements, for jgrad's readers and kernels) are not part
 * of the API: they are exported only to jgrad's own modules, and may change in any release.
 */
module org.jgrad.core {
    requires static jdk.incubator.vector;

    exports org.jgrad.autograd;
    exports org.jgrad.data;
    exports org.jgrad.io;
    exports org.jgrad.nn;
    exports org.jgrad.nn.functional;
    exports org.jgrad.nn.init;
    exports org.jgrad.nn.loss;
    exports org.jgrad.ops;
    exports org.jgrad.optim;
    exports org.jgrad.optim.lr;
    exports org.jgrad.tensor;
    exports org.jgrad.train;

    uses org.jgrad.backend.Backend;
    provides org.jgrad.backend.Backend with org.jgrad.backend.cpu.VectorCpuBackend, org.jgrad.backend.cpu.ScalarCpuBackend;

    exports org.jgrad.backend to org.jgrad.vision, org.jgrad.cli, org.jgrad.bench, org.jgrad.playground, org.jgrad.spark,
            org.jgrad.onnx, org.jgrad.keras, org.jgrad.monitor;
    exports org.jgrad.kernels to org.jgrad.vision, org.jgrad.cli, org.jgrad.bench, org.jgrad.playground, org.jgrad.spark;
    exports org.jgrad.internal to org.jgrad.vision, org.jgrad.cli, org.jgrad.bench, org.jgrad.playground, org.jgrad.spark,
            org.jgrad.onnx, org.jgrad.keras, org.jgrad.monitor;
}
