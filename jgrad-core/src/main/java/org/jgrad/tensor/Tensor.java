package org.jgrad.tensor;

import java.util.Arrays;
import org.jgrad.autograd.Engine;
import org.jgrad.autograd.Node;
import org.jgrad.autograd.NoGrad;
import org.jgrad.autograd.PostAccumulateGradHook;
import org.jgrad.autograd.RemovableHandle;
import org.jgrad.internal.TensorData;
import org.jgrad.ops.ElementwiseOps;
import org.jgrad.ops.IndexOps;
import org.jgrad.ops.MatmulOps;
import org.jgrad.ops.ReduceOps;
import org.jgrad.ops.ViewOps;

/**
 * An n-dimensional array of float32 (or int64, for labels and indices) that can record the
 * operations applied to it and compute gradients, like {@code torch.Tensor}.
 *
 * <p>A tensor is a view of a storage array: shape, strides and an offset. Views ({@link #view},
 * {@link #transpose}, {@link #narrow}, {@link #expand}, ...) share the storage and copy nothing.
 * Ops return new tensors and never modify their inputs; the few in-place methods end in
 * {@code InPlace}, are not recorded by autograd, and therefore refuse to run on a tensor that
 * requires grad (a leaf, a view of one, or an op result) while grad mode is on.
 *
 * <pre>{@code
 * Tensor w = Tensor.of(0.3f).requiresGrad(true);
 * Tensor loss = w.mul(0.5f).add(0.1f).sigmoid().sub(1.5f).square().mul(0.5f);
 * loss.backward();
 * w.grad();   // tensor(-0.1154)
 * }</pre>
 */
public final class Tensor {
    private final DType dtype;
    private final float[] data;
    private final long[] ldata;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private boolean requiresGrad;
    private boolean retainGrad;
    private Node gradFn;
    private Tensor grad;
    /** Set by {@link #wrapGradient}: the backward engine may adopt this tensor as a .grad, once, without a copy. */
    private boolean adoptable;
    /** Hooks the backward engine runs once this leaf's gradient is complete; null until one is registered. */
    private volatile java.util.List<PostAccumulateGradHook> postAccumulateGradHooks;

    private Tensor(DType dtype, float[] data, long[] ldata, int[] shape, int[] strides, int offset) {
        this.dtype = dtype;
        this.data = data;
        this.ldata = ldata;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    static {
        TensorData.install(new TensorData.Access() {
            @Override public float[] floats(Tensor t) { return t.storage(); }
            @Override public long[] longs(Tensor t) { return t.longStorage(); }
            @Override public float[] gradTarget(Tensor t) { return t.gradInPlaceTarget(); }
            @Override public Tensor wrap(float[] data, int[] shape) { return Tensor.wrap(data, shape); }
            @Override public Tensor wrapGradient(float[] data, int[] shape) { return Tensor.wrapGradient(data, shape); }
            @Override public Tensor wrapLongs(long[] data, int[] shape) { return Tensor.wrapLongs(data, shape); }
        });
    }

    // ------------------------------------------------------------------ creation

    /**
     * Wraps a float array as a contiguous tensor without copying; the caller must not keep using the
     * array for anything else. Most users want {@link #fromArray}, which copies.
     */
    static Tensor wrap(float[] data, int... shape) {
        int n = Shape.numel("wrap", shape);
        if (data.length != n)
            throw new IllegalArgumentException("wrap: " + data.length + " values do not fill shape " + Shape.str(shape)
                    + " (" + n + " elements)");
        return new Tensor(DType.FLOAT32, data, null, shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /**
     * Internal, for backward functions: {@link #wrap} for a gradient computed into a new array that
     * nothing else references. The backward engine may then make this very tensor a leaf's
     * {@code .grad} instead of copying it ({@link #accumulateGrad}); it does so at most once, so a
     * backward may still return the same tensor for several inputs.
     */
    static Tensor wrapGradient(float[] data, int... shape) {
        Tensor t = wrap(data, shape);
        t.adoptable = true;
        return t;
    }

    /** Wraps a long array as a contiguous int64 tensor without copying. */
    static Tensor wrapLongs(long[] data, int... shape) {
        int n = Shape.numel("wrapLongs", shape);
        if (data.length != n)
            throw new IllegalArgumentException("wrapLongs: " + data.length + " values do not fill shape "
                    + Shape.str(shape) + " (" + n + " elements)");
        return new Tensor(DType.INT64, null, data, shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /** A float tensor with a copy of {@code data} in the given shape. */
    public static Tensor fromArray(float[] data, int... shape) {
        int n = Shape.numel("fromArray", shape);
        if (data.length != n)
            throw new IllegalArgumentException("fromArray: " + data.length + " values do not fill shape " + Shape.str(shape)
                    + " (" + n + " elements)");
        return wrap(data.clone(), shape);
    }

    /** A 1-D float tensor of the given values, or a scalar (0-d) tensor for a single value. */
    public static Tensor of(float... values) {
        return values.length == 1 ? scalar(values[0]) : wrap(values.clone(), values.length);
    }

    /** A 2-D float tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c)
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " values, expected " + c);
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return wrap(d, r, c);
    }

    /** A 0-d float tensor. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value});
    }

    /** A 1-D int64 tensor of the given values (labels, indices). */
    public static Tensor ofLongs(long... values) {
        return wrapLongs(values.clone(), values.length);
    }

    /**
     * A new float array for {@code shape}, failing with a message that says what was asked for and
     * what the heap allows: a model too large for the JVM should read as that, not as a bare
     * "Java heap space" from deep inside a layer's constructor.
     */
    private static float[] floats(String op, int[] shape) {
        int n = Shape.numel(op, shape);
        try {
            return new float[n];
        } catch (OutOfMemoryError e) {
            throw outOfMemory(op, shape, 4L * n, e);
        }
    }

    private static OutOfMemoryError outOfMemory(String op, int[] shape, long bytes, OutOfMemoryError cause) {
        long max = Runtime.getRuntime().maxMemory();
        OutOfMemoryError e = new OutOfMemoryError(op + ": shape " + Shape.str(shape) + " needs " + (bytes >> 20)
                + " MiB, which the JVM heap (max " + (max >> 20) + " MiB) cannot provide; raise -Xmx (JGRAD_JAVA_OPTS"
                + " for the jgrad command) or make the model or batch smaller");
        e.initCause(cause);
        return e;
    }

    /** A float tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return wrap(floats("zeros", shape), shape);
    }

    /** An int64 tensor of zeros. */
    public static Tensor zerosLong(int... shape) {
        int n = Shape.numel("zerosLong", shape);
        try {
            return wrapLongs(new long[n], shape);
        } catch (OutOfMemoryError e) {
            throw outOfMemory("zerosLong", shape, 8L * n, e);
        }
    }

    /** A float tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A float tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        float[] d = floats("full", shape);
        Arrays.fill(d, value);
        return wrap(d, shape);
    }

    /** Zeros with the shape of {@code t} (float32). */
    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    /** Ones with the shape of {@code t} (float32). */
    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** Values {@code start, start+step, ...} below {@code end}, like {@code torch.arange}. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step)) throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        if (!Float.isFinite(start) || !Float.isFinite(end))
            throw new IllegalArgumentException("arange: unsupported range " + start + " -> " + end);
        if ((end - start) / step < 0)
            throw new IllegalArgumentException("arange: upper bound " + end + " and lower bound " + start
                    + " are inconsistent with step sign " + step);
        double count = Math.ceil(((double) end - start) / step);
        if (count > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("arange: range " + start + " -> " + end + " with step " + step
                    + " has too many elements (" + (long) count + ")");
        int n = (int) count;
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return wrap(d, n);
    }

    /** {@code 0, 1, ..., end-1}. */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(float start, float end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        float[] d = new float[steps];
        if (steps == 1) {
            d[0] = start; // torch.linspace(a, b, 1) is [a]
            return wrap(d, 1);
        }
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        // Fill from both ends as PyTorch does, so the last value is exactly `end`.
        for (int i = 0; i < steps; i++) d[i] = i < steps / 2 ? (float) (start + step * i) : (float) (end - step * (steps - 1 - i));
        return wrap(d, steps);
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        return eye(n, n);
    }

    /** An n×m matrix with ones on the diagonal. */
    public static Tensor eye(int n, int m) {
        float[] d = new float[Shape.numel("eye", new int[] {n, m})];
        for (int i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
        return wrap(d, n, m);
    }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, 0, 1, shape);
    }

    /** Standard normal samples. */
    public static Tensor randn(Generator gen, int... shape) {
        return normal(gen, 0, 1, shape);
    }

    /** Uniform samples in [low, high). */
    public static Tensor uniform(Generator gen, float low, float high, int... shape) {
        if (!(high >= low)) throw new IllegalArgumentException("uniform: expected low <= high, got " + low + " > " + high);
        float[] d = floats("uniform", shape);
        for (int i = 0; i < d.length; i++) {
            float v = low + (high - low) * gen.nextFloat();
            // u < 1 but the product and sum round: low + (high-low)*u can land on high itself
            d[i] = v < high || high == low ? v : Math.nextDown(high);
        }
        return wrap(d, shape);
    }

    /** Normal samples with the given mean and standard deviation. */
    public static Tensor normal(Generator gen, float mean, float std, int... shape) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        float[] d = floats("normal", shape);
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * gen.nextGaussian());
        return wrap(d, shape);
    }

    /** Uniform random integers in [low, high) as int64. */
    public static Tensor randint(Generator gen, long low, long high, int... shape) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got " + low + " >= " + high);
        long[] d = new long[Shape.numel("randint", shape)];
        long span = high - low;
        for (int i = 0; i < d.length; i++) d[i] = low + (span <= Integer.MAX_VALUE ? gen.nextInt((int) span) : Math.floorMod(gen.nextLong(), span));
        return wrapLongs(d, shape);
    }

    /** A random permutation of {@code 0..n-1} as int64. */
    public static Tensor randperm(Generator gen, int n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        long[] d = new long[n];
        for (int i = 0; i < n; i++) d[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = gen.nextInt(i + 1);
            long t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return wrapLongs(d, n);
    }

    /**
     * A view with explicit shape, strides and offset over this tensor's storage (like
     * {@code torch.as_strided}); checked against the storage bounds. No gradient flows through it.
     */
    public Tensor asStrided(int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length)
            throw new IllegalArgumentException("asStrided: shape " + Shape.str(shape) + " and strides "
                    + Shape.str(strides) + " differ in rank");
        long lo = offset, hi = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) throw new IllegalArgumentException("asStrided: negative size in " + Shape.str(shape));
            if (shape[i] == 0) { lo = offset; hi = offset - 1; break; }
            long span = (long) (shape[i] - 1) * strides[i];
            if (span < 0) lo += span; else hi += span;
        }
        int cap = dtype == DType.FLOAT32 ? data.length : ldata.length;
        if (hi >= lo && (lo < 0 || hi >= cap))
            throw new IndexOutOfBoundsException("asStrided: view shape " + Shape.str(shape) + " strides "
                    + Shape.str(strides) + " offset " + offset + " reaches outside a storage of " + cap + " elements");
        return new Tensor(dtype, data, ldata, shape.clone(), strides.clone(), offset);
    }

    /**
     * Internal: a view with the given geometry over this storage, off the graph and unchecked. Ops
     * use it and then attach their own graph node; users want {@link #asStrided}.
     */
    public Tensor detachedView(int[] shape, int[] strides, int offset) {
        return new Tensor(dtype, data, ldata, shape, strides, offset);
    }

    // ------------------------------------------------------------------ metadata and raw access

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shape.normalizeDim("size", dim, shape.length)];
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** Number of elements. */
    public int numel() {
        return Shape.numel(shape);
    }

    /** Strides in elements (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Offset of the first element in the storage. */
    public int offset() {
        return offset;
    }

    /**
     * The float storage this tensor views (shared, not a copy). Low-level: kernels and optimizers
     * use it together with {@link #offset()} and {@link #strides()}.
     */
    float[] storage() {
        if (data == null) throw new IllegalStateException("storage: tensor is " + dtype.pyName() + ", not float32");
        return data;
    }

    /** The int64 storage of an int64 tensor (shared). */
    long[] longStorage() {
        if (ldata == null) throw new IllegalStateException("longStorage: tensor is " + dtype.pyName() + ", not int64");
        return ldata;
    }

    /** True when elements are laid out row-major with no gaps (strides of size-1 dims are ignored). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** True when this tensor is contiguous and starts at the beginning of a storage of exactly its size. */
    public boolean isDense() {
        int cap = data != null ? data.length : ldata.length;
        return offset == 0 && cap == numel() && isContiguous();
    }

    private int flatIndex(String op, int... idx) {
        if (idx.length != shape.length)
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                    + Shape.str(shape) + ", got " + idx.length);
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i];
            if (k < -shape[i] || k >= shape[i])
                throw new IndexOutOfBoundsException(op + ": index " + k + " is out of bounds for dimension " + i
                        + " with size " + shape[i] + " (shape " + Shape.str(shape) + ")");
            if (k < 0) k += shape[i];
            p += k * strides[i];
        }
        return p;
    }

    /** The element at the given indices, as a float (int64 values are converted). */
    public float get(int... idx) {
        int p = flatIndex("get", idx);
        return data != null ? data[p] : (float) ldata[p];
    }

    /** The element at the given indices of an int64 tensor (float tensors are truncated). */
    public long getLong(int... idx) {
        int p = flatIndex("getLong", idx);
        return ldata != null ? ldata[p] : (long) data[p];
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1)
            throw new IllegalStateException("item: only a one-element tensor can be converted to a scalar, got shape "
                    + Shape.str(shape));
        return get(new int[shape.length]);
    }

    /** The values in row-major order, as a new array (int64 values are converted). */
    public float[] toFloatArray() {
        if (dtype == DType.INT64) {
            long[] l = toLongArray();
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) f[i] = l[i];
            return f;
        }
        return contiguous().storageCopy();
    }

    private float[] storageCopy() {
        int n = numel();
        if (n == 0) return new float[0]; // an empty view's offset may lie past the end of its storage
        return (offset == 0 && data.length == n) ? data.clone() : Arrays.copyOfRange(data, offset, offset + n);
    }

    /** The values in row-major order as longs (float values are truncated). */
    public long[] toLongArray() {
        if (dtype == DType.FLOAT32) {
            float[] f = toFloatArray();
            long[] l = new long[f.length];
            for (int i = 0; i < f.length; i++) l[i] = (long) f[i];
            return l;
        }
        if (numel() == 0) return new long[0];
        Tensor c = contiguous();
        return Arrays.copyOfRange(c.ldata, c.offset, c.offset + numel());
    }

    // ------------------------------------------------------------------ autograd

    /** Whether gradients are computed for this tensor (leaves set it; results of ops inherit it). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor as needing gradients (or not); returns {@code this} for chaining, like
     * {@code requires_grad_()}.
     */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value)
            throw new IllegalStateException("requiresGrad: cannot turn off gradients of a non-leaf tensor (it has grad_fn "
                    + gradFn.displayName() + "); use detach()");
        if (value && dtype != DType.FLOAT32)
            throw new IllegalStateException("requiresGrad: only float tensors can require gradients, this one is "
                    + dtype.pyName());
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient, or null before any backward. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && !Shape.same(g.shape, shape))
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape)
                    + " does not match tensor shape " + Shape.str(shape));
        grad = g;
    }

    /** Clears the gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        grad = null;
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** True for tensors created by the user rather than by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Asks a non-leaf tensor to keep its gradient in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) throw new IllegalStateException("retainGrad: tensor does not require grad");
        retainGrad = true;
        return this;
    }

    /** Whether {@link #retainGrad()} was called on this non-leaf tensor. */
    public boolean retainsGrad() {
        return retainGrad;
    }

    /** Internal: called by {@link org.jgrad.autograd.Autograd#record}; makes this tensor a non-leaf. */
    public void attachGradFn(Node node) {
        gradFn = node;
        requiresGrad = true;
    }

    /** Elements per task of a split gradient accumulation. */
    private static final int ACCUMULATE_GRAIN = 1 << 17;

    /** Internal: adds {@code g} into this tensor's gradient (used by the backward engine). */
    public void accumulateGrad(Tensor g) {
        // Always a tensor of its own: the engine may hand the same gradient to several leaves, and
        // optimizers and clipping modify .grad in place. A gradient from wrapGradient is one nobody
        // else holds (a backward's new array): it is taken as it is, the first time only.
        if (grad == null) {
            if (g.adoptable && g.gradFn == null && !g.requiresGrad) {
                g.adoptable = false;
                grad = g;
            } else {
                grad = g.cloneData();
            }
        } else if (grad.dtype == DType.FLOAT32 && g.dtype == DType.FLOAT32 && grad.isContiguous() && g.isContiguous()
                && java.util.Arrays.equals(grad.shape, g.shape) && !grad.requiresGrad && grad.data != g.data) {
            // In place, as PyTorch's AccumulateGrad does outside create_graph: no new buffer per
            // accumulation (a model's worth of gradients per step when grads are not cleared).
            // Large ones are split across the pool: the add is bound by memory, which two cores
            // draw faster than one (ResNet-18 adds 11M floats per step; a 512x512x3x3 gradient took
            // 212 instead of 440 us).
            float[] gd = grad.data, sd = g.data;
            int go = grad.offset, so = g.offset, n = grad.numel();
            org.jgrad.kernels.Parallel.forRange(n, ACCUMULATE_GRAIN, (a, b) -> org.jgrad.kernels.Elementwise.row(
                    org.jgrad.kernels.Elementwise.Binary.ADD, gd, go + a, 1, sd, so + a, 1, gd, go + a, b - a));
        } else {
            grad = grad.add(g);
        }
    }

    /**
     * The array of this leaf's {@code .grad} when a backward may add its gradient straight into it,
     * with the same result as handing a new gradient to {@link #accumulateGrad}'s in-place sum: a
     * float32 leaf that requires grad and whose {@code .grad} exists, does not itself require grad, is
     * contiguous from offset 0, fills its array and has this tensor's shape. Null otherwise (the
     * backward then returns its gradient as usual). A convolution's weight gradient is summed this way
     * when gradients are not cleared between steps, instead of in a new array added afterwards.
     */
    float[] gradInPlaceTarget() {
        Tensor g = grad;
        if (gradFn != null || !requiresGrad || g == null || dtype != DType.FLOAT32 || g.dtype != DType.FLOAT32
                || g.requiresGrad || g.offset != 0 || !g.isContiguous() || g.data.length != g.numel()
                || !java.util.Arrays.equals(g.shape, shape))
            return null;
        return g.data;
    }

    /**
     * Runs {@code hook} after each backward pass that gives this leaf a gradient, once the gradient is
     * complete for that pass (every contribution summed into {@link #grad()}), like PyTorch's
     * {@code register_post_accumulate_grad_hook}. Hooks run in registration order; see
     * {@link PostAccumulateGradHook} for when exactly, and on which thread.
     *
     * @return a handle that unregisters this registration
     * @throws IllegalStateException if this tensor is not a leaf that requires grad
     */
    public RemovableHandle registerPostAccumulateGradHook(PostAccumulateGradHook hook) {
        if (hook == null) throw new IllegalArgumentException("registerPostAccumulateGradHook: hook is null");
        if (gradFn != null || !requiresGrad)
            throw new IllegalStateException("registerPostAccumulateGradHook: only a leaf tensor that requires grad "
                    + "accumulates a gradient; this one " + (gradFn != null ? "has grad_fn " + gradFn.displayName()
                    : "does not require grad") + " (shape " + Shape.str(shape) + ")");
        synchronized (this) {
            if (postAccumulateGradHooks == null)
                postAccumulateGradHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        }
        // A registration of its own, so removing it leaves another registration of the same hook alone.
        PostAccumulateGradHook registration = hook::afterAccumulate;
        postAccumulateGradHooks.add(registration);
        return () -> postAccumulateGradHooks.remove(registration);
    }

    /** Internal, for the backward engine: this leaf's post-accumulate-grad hooks in registration order, or null if none. */
    public java.util.List<PostAccumulateGradHook> postAccumulateGradHooks() {
        java.util.List<PostAccumulateGradHook> h = postAccumulateGradHooks;
        return h == null || h.isEmpty() ? null : h;
    }

    /** Computes gradients of this scalar with respect to every leaf that requires grad. */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** Backward from a non-scalar output, seeded with {@code gradient} (same shape). */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false);
    }

    /** Backward; with {@code retainGraph} the graph can be traversed again. {@code gradient} may be null for scalars. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Engine.backward(this, gradient, retainGraph);
    }

    /**
     * A copy with storage of its own (contiguous), recorded in the graph like {@code torch.clone}:
     * gradients flow back to this tensor, and writing into the copy leaves this one alone.
     */
    @Override
    public Tensor clone() {
        return ViewOps.contiguousCopy(this);
    }

    /** A tensor sharing this one's storage, cut from the graph (requires no grad). */
    public Tensor detach() {
        return new Tensor(dtype, data, ldata, shape, strides, offset);
    }

    /** A copy of the values with a new storage, off the graph. */
    public Tensor cloneData() {
        if (dtype == DType.INT64) return wrapLongs(toLongArray(), shape);
        return wrap(contiguous().storageCopyDetached(), shape);
    }

    private float[] storageCopyDetached() {
        return storageCopy();
    }

    /** A differentiable copy (like {@code clone()}). */
    public Tensor copy() {
        return ElementwiseOps.copy(this);
    }

    // ------------------------------------------------------------------ in-place (optimizer updates, init)

    private static final java.util.Set<String> VIEW_OPS = java.util.Set.of("view", "permute", "transpose", "slice", "expand", "squeeze", "unsqueeze");

    private void checkInPlace(String op) {
        if (dtype != DType.FLOAT32) throw new IllegalStateException(op + ": in-place ops need a float32 tensor");
        if (!NoGrad.isGradEnabled() || !requiresGrad) return;
        if (gradFn == null)
            throw new IllegalStateException(op + ": a leaf tensor that requires grad is being modified in place while "
                    + "grad mode is on; wrap the update in NoGrad.enter()");
        // Writing through a view changes the leaf behind it just as much, and autograd would not see it.
        Tensor cur = this;
        while (cur.gradFn != null && VIEW_OPS.contains(cur.gradFn.op()) && cur.gradFn.inputs()[0].data == data)
            cur = cur.gradFn.inputs()[0];
        if (cur.gradFn == null && cur.requiresGrad)
            throw new IllegalStateException(op + ": a view of a leaf tensor that requires grad is being modified in place "
                    + "while grad mode is on; wrap the update in NoGrad.enter()");
        // In-place ops are not recorded on the graph, so the gradient would silently ignore this update.
        throw new IllegalStateException(op + ": tensor of shape " + Shape.str(shape) + " requires grad (grad_fn "
                + gradFn.displayName() + ") and in-place ops are not recorded by autograd; use the out-of-place op, "
                + "or detach() first");
    }

    /**
     * {@code src} broadcast to this shape as a contiguous float tensor that does not share this
     * tensor's storage, so that writing this tensor element by element cannot clobber values still
     * to be read.
     */
    private Tensor sourceFor(String op, Tensor src) {
        Tensor s = src.dtype == DType.FLOAT32 ? src.detach() : src.toFloat();
        try {
            Shape.broadcast(op, s.shape, shape);
            s = s.expand(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": source of shape " + Shape.str(src.shape)
                    + " cannot be broadcast to the destination shape " + Shape.str(shape), e);
        }
        return s.data == data ? s.cloneData() : s.contiguous();
    }

    /** Sets every element to {@code value}; returns {@code this}. */
    public Tensor fillInPlace(float value) {
        checkInPlace("fillInPlace");
        ViewOps.forEachOffset(this, p -> data[p] = value);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor; returns {@code this}. */
    public Tensor copyInPlace(Tensor src) {
        checkInPlace("copyInPlace");
        Tensor b = sourceFor("copyInPlace", src);
        float[] bd = b.data;
        int[] k = {b.offset};
        ViewOps.forEachOffset(this, p -> data[p] = bd[k[0]++]);
        return this;
    }

    /** {@code this += alpha * other} (other broadcast to this shape); returns {@code this}. */
    public Tensor addInPlace(Tensor other, float alpha) {
        checkInPlace("addInPlace");
        Tensor b = sourceFor("addInPlace", other);
        float[] bd = b.data;
        int[] k = {b.offset};
        ViewOps.forEachOffset(this, p -> data[p] += alpha * bd[k[0]++]);
        return this;
    }

    /** {@code this *= factor}; returns {@code this}. */
    public Tensor mulInPlace(float factor) {
        checkInPlace("mulInPlace");
        ViewOps.forEachOffset(this, p -> data[p] *= factor);
        return this;
    }

    // ------------------------------------------------------------------ conversion

    /** A float32 copy of an int64 tensor (or this tensor when it is already float32). */
    public Tensor toFloat() {
        return dtype == DType.FLOAT32 ? this : wrap(toFloatArray(), shape);
    }

    /** An int64 copy, truncating toward zero (or this tensor when it is already int64). */
    public Tensor toLong() {
        return dtype == DType.INT64 ? this : wrapLongs(toLongArray(), shape);
    }

    // ------------------------------------------------------------------ views

    /** Same data in a new shape (one dim may be -1); copies only when the layout requires it, like {@code reshape}. */
    public Tensor reshape(int... newShape) {
        return ViewOps.reshape(this, newShape);
    }

    /** Same data in a new shape without copying; fails when the strides do not allow it, like {@code view}. */
    public Tensor view(int... newShape) {
        return ViewOps.view(this, newShape);
    }

    /** Swaps two dimensions (a view). */
    public Tensor transpose(int dim0, int dim1) {
        return ViewOps.transpose(this, dim0, dim1);
    }

    /** Transpose of a matrix (rank ≤ 2), like {@code .t()}. */
    public Tensor t() {
        if (shape.length > 2)
            throw new IllegalArgumentException("t: expects a tensor with <= 2 dimensions, got shape " + Shape.str(shape));
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Reorders dimensions (a view). */
    public Tensor permute(int... dims) {
        return ViewOps.permute(this, dims);
    }

    /** Elements {@code start .. start+length-1} along {@code dim} (a view). */
    public Tensor narrow(int dim, int start, int length) {
        return ViewOps.slice(this, dim, start, start + length, 1, "narrow");
    }

    /** Python-style slice {@code [start:end:step]} along {@code dim} (a view); negative bounds count from the end. */
    public Tensor slice(int dim, int start, int end, int step) {
        return ViewOps.slice(this, dim, start, end, step, "slice");
    }

    /** Index {@code index} along {@code dim}, removing that dimension (a view). */
    public Tensor select(int dim, int index) {
        return ViewOps.select(this, dim, index);
    }

    /**
     * Splits along {@code dim} into views of {@code splitSize} elements each (the last may be
     * smaller), like {@code torch.split(t, splitSize, dim)}.
     */
    public Tensor[] split(int splitSize, int dim) {
        int d = Shape.normalizeDim("split", dim, shape.length), size = shape.length == 0 ? 0 : shape[d];
        if (shape.length == 0) throw new IllegalArgumentException("split: expects at least a 1-dimensional tensor");
        if (splitSize <= 0 && !(splitSize == 0 && size == 0))
            throw new IllegalArgumentException("split: split size must be positive, got " + splitSize + " for shape "
                    + Shape.str(shape));
        int n = size == 0 ? 1 : (size + splitSize - 1) / splitSize;
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) sizes[i] = Math.min(splitSize, size - i * splitSize);
        return split(sizes, d);
    }

    /** Splits along {@code dim} into views of the given sizes, which must add up to that dim's size. */
    public Tensor[] split(int[] sizes, int dim) {
        if (shape.length == 0) throw new IllegalArgumentException("split: expects at least a 1-dimensional tensor");
        int d = Shape.normalizeDim("split", dim, shape.length);
        long total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Shape.str(sizes));
            total += s;
        }
        if (total != shape[d])
            throw new IllegalArgumentException("split: sizes " + Shape.str(sizes) + " add up to " + total
                    + " but dimension " + d + " of shape " + Shape.str(shape) + " has size " + shape[d]);
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0, start = 0; i < sizes.length; start += sizes[i], i++) out[i] = narrow(d, start, sizes[i]);
        return out;
    }

    /**
     * Splits along {@code dim} into at most {@code chunks} views of equal size (the last may be
     * smaller), like {@code torch.chunk}; fewer come back when the size does not allow that many.
     */
    public Tensor[] chunk(int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + chunks);
        if (shape.length == 0) throw new IllegalArgumentException("chunk: expects at least a 1-dimensional tensor");
        int size = shape[Shape.normalizeDim("chunk", dim, shape.length)];
        return split(size == 0 ? 0 : (size + chunks - 1) / chunks, dim);
    }

    /** Broadcasts size-1 dims to {@code newShape} (a view; -1 keeps a size). */
    public Tensor expand(int... newShape) {
        return ViewOps.expand(this, newShape);
    }

    /** Removes all size-1 dimensions. */
    public Tensor squeeze() {
        return ViewOps.squeeze(this, null);
    }

    /** Removes dimension {@code dim} if its size is 1. */
    public Tensor squeeze(int dim) {
        return ViewOps.squeeze(this, dim);
    }

    /** Inserts a size-1 dimension at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        return ViewOps.unsqueeze(this, dim);
    }

    /** Flattens dims {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) {
        return ViewOps.flatten(this, startDim, endDim);
    }

    /** Flattens to 1-D. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** A contiguous tensor with the same values: this one if already contiguous, else a copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : ViewOps.contiguousCopy(this);
    }

    // ------------------------------------------------------------------ elementwise

    /** Elementwise sum with broadcasting. */
    public Tensor add(Tensor other) { return ElementwiseOps.add(this, other); }
    /** Adds a scalar to every element. */
    public Tensor add(float v) { return ElementwiseOps.addScalar(this, v); }
    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, float alpha) { return alpha == 1 ? add(other) : add(other.mul(alpha)); }
    /** Elementwise difference with broadcasting. */
    public Tensor sub(Tensor other) { return ElementwiseOps.sub(this, other); }
    /** Subtracts a scalar from every element. */
    public Tensor sub(float v) { return ElementwiseOps.subScalar(this, v); }
    /** Elementwise product with broadcasting. */
    public Tensor mul(Tensor other) { return ElementwiseOps.mul(this, other); }
    /** Multiplies every element by a scalar. */
    public Tensor mul(float v) { return ElementwiseOps.mulScalar(this, v); }
    /** Elementwise quotient with broadcasting. */
    public Tensor div(Tensor other) { return ElementwiseOps.div(this, other); }
    /** Divides every element by a scalar (a true division, rounded like PyTorch's). */
    public Tensor div(float v) { return ElementwiseOps.divScalar(this, v); }
    /** {@code this ^ exponent} elementwise. */
    public Tensor pow(float exponent) { return ElementwiseOps.powScalar(this, exponent); }
    /** {@code this ^ exponent} with a tensor exponent (broadcast). */
    public Tensor pow(Tensor exponent) { return ElementwiseOps.pow(this, exponent); }
    /** {@code v - this}. */
    public Tensor rsub(float v) { return neg().add(v); }
    /** {@code -this}. */
    public Tensor neg() { return ElementwiseOps.neg(this); }
    /** e^x elementwise. */
    public Tensor exp() { return ElementwiseOps.exp(this); }
    /** Natural logarithm elementwise (NaN below 0, -inf at 0). */
    public Tensor log() { return ElementwiseOps.log(this); }
    /** Square root elementwise. */
    public Tensor sqrt() { return ElementwiseOps.sqrt(this); }
    /** Absolute value elementwise (gradient 0 at 0, as in PyTorch). */
    public Tensor abs() { return ElementwiseOps.abs(this); }
    /** x² elementwise. */
    public Tensor square() { return ElementwiseOps.square(this); }
    /** 1/x elementwise. */
    public Tensor reciprocal() { return ElementwiseOps.reciprocal(this); }
    /** Sine elementwise. */
    public Tensor sin() { return ElementwiseOps.sin(this); }
    /** Cosine elementwise. */
    public Tensor cos() { return ElementwiseOps.cos(this); }
    /** Logistic sigmoid 1/(1+e^-x). */
    public Tensor sigmoid() { return ElementwiseOps.sigmoid(this); }
    /** Hyperbolic tangent elementwise. */
    public Tensor tanh() { return ElementwiseOps.tanh(this); }
    /** max(x, 0) elementwise (gradient 0 at 0, as in PyTorch). */
    public Tensor relu() { return ElementwiseOps.relu(this); }
    /** -1, 0 or 1 by sign (no gradient). */
    public Tensor sign() { return ElementwiseOps.sign(this); }
    /** Limits values to [min, max]; use ±Infinity for a one-sided clamp. */
    public Tensor clamp(float min, float max) { return ElementwiseOps.clamp(this, min, max); }
    /** Elementwise maximum with broadcasting. */
    public Tensor maximum(Tensor other) { return ElementwiseOps.maximum(this, other); }
    /** Elementwise minimum with broadcasting. */
    public Tensor minimum(Tensor other) { return ElementwiseOps.minimum(this, other); }

    // Comparisons return float32 masks of 0 and 1 (jgrad has no bool dtype); they carry no gradient.
    /** 1 where {@code this == o} (broadcast), else 0. */
    public Tensor eq(Tensor o) { return ElementwiseOps.compare(this, o, ElementwiseOps.Cmp.EQ); }
    /** 1 where {@code this != o} (broadcast), else 0. */
    public Tensor ne(Tensor o) { return ElementwiseOps.compare(this, o, ElementwiseOps.Cmp.NE); }
    /** 1 where {@code this < o} (broadcast), else 0. */
    public Tensor lt(Tensor o) { return ElementwiseOps.compare(this, o, ElementwiseOps.Cmp.LT); }
    /** 1 where {@code this <= o} (broadcast), else 0. */
    public Tensor le(Tensor o) { return ElementwiseOps.compare(this, o, ElementwiseOps.Cmp.LE); }
    /** 1 where {@code this > o} (broadcast), else 0. */
    public Tensor gt(Tensor o) { return ElementwiseOps.compare(this, o, ElementwiseOps.Cmp.GT); }
    /** 1 where {@code this >= o} (broadcast), else 0. */
    public Tensor ge(Tensor o) { return ElementwiseOps.compare(this, o, ElementwiseOps.Cmp.GE); }
    /** 1 where {@code this == v}, else 0. */
    public Tensor eq(float v) { return eq(scalar(v)); }
    /** 1 where {@code this != v}, else 0. */
    public Tensor ne(float v) { return ne(scalar(v)); }
    /** 1 where {@code this < v}, else 0. */
    public Tensor lt(float v) { return lt(scalar(v)); }
    /** 1 where {@code this <= v}, else 0. */
    public Tensor le(float v) { return le(scalar(v)); }
    /** 1 where {@code this > v}, else 0. */
    public Tensor gt(float v) { return gt(scalar(v)); }
    /** 1 where {@code this >= v}, else 0. */
    public Tensor ge(float v) { return ge(scalar(v)); }

    /** Picks {@code a} where {@code condition} is non-zero, else {@code b} (all broadcast), like {@code torch.where}. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return ElementwiseOps.where(condition, a, b);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (a 0-d tensor). */
    public Tensor sum() { return ReduceOps.sum(this, null, false); }
    /** Sum over one dimension. */
    public Tensor sum(int dim, boolean keepdim) { return ReduceOps.sum(this, new int[] {dim}, keepdim); }
    /** Sum over several dimensions. */
    public Tensor sum(int[] dims, boolean keepdim) { return ReduceOps.sum(this, dims, keepdim); }
    /** Mean of all elements. */
    public Tensor mean() { return ReduceOps.mean(this, null, false); }
    /** Mean over one dimension. */
    public Tensor mean(int dim, boolean keepdim) { return ReduceOps.mean(this, new int[] {dim}, keepdim); }
    /** Mean over several dimensions. */
    public Tensor mean(int[] dims, boolean keepdim) { return ReduceOps.mean(this, dims, keepdim); }
    /** Variance with Bessel's correction (correction=1) over all elements. */
    public Tensor var() { return ReduceOps.var(this, null, 1, false); }
    /** Variance over dims; {@code correction} 1 is unbiased, 0 the population variance. */
    public Tensor var(int[] dims, int correction, boolean keepdim) { return ReduceOps.var(this, dims, correction, keepdim); }
    /** Standard deviation with Bessel's correction over all elements. */
    public Tensor std() { return ReduceOps.std(this, null, 1, false); }
    /** Standard deviation over dims; {@code correction} 1 is unbiased, 0 the population value. */
    public Tensor std(int[] dims, int correction, boolean keepdim) { return ReduceOps.std(this, dims, correction, keepdim); }
    /** Largest element (a 0-d tensor; the gradient is shared evenly among tied maxima, as in PyTorch). */
    public Tensor max() { return ReduceOps.maxAll(this, true); }
    /** Smallest element (a 0-d tensor; the gradient is shared evenly among tied minima, as in PyTorch). */
    public Tensor min() { return ReduceOps.maxAll(this, false); }
    /** Largest values along {@code dim} and their int64 indices. */
    public ValuesIndices max(int dim, boolean keepdim) { return ReduceOps.maxDim(this, dim, keepdim, true); }
    /** Smallest values along {@code dim} and their int64 indices (the first on ties). */
    public ValuesIndices min(int dim, boolean keepdim) { return ReduceOps.maxDim(this, dim, keepdim, false); }
    /** Index of the largest element of the flattened tensor (int64 0-d). */
    public Tensor argmax() { return ReduceOps.maxDim(flatten(), 0, false, true).indices(); }
    /** Indices (int64) of the largest values along {@code dim}. */
    public Tensor argmax(int dim, boolean keepdim) { return max(dim, keepdim).indices(); }
    /** Index of the smallest element of the flattened tensor (int64 0-d). */
    public Tensor argmin() { return ReduceOps.maxDim(flatten(), 0, false, false).indices(); }
    /** Indices (int64) of the smallest values along {@code dim}. */
    public Tensor argmin(int dim, boolean keepdim) { return min(dim, keepdim).indices(); }
    /** log(sum(exp(x))) over {@code dim}, computed stably. */
    public Tensor logsumexp(int dim, boolean keepdim) { return ReduceOps.logsumexp(this, dim, keepdim); }

    // ------------------------------------------------------------------ linear algebra and indexing

    /** Matrix product with PyTorch's {@code matmul} rules (1-D, 2-D, batched with broadcast batch dims). */
    public Tensor matmul(Tensor other) { return MatmulOps.matmul(this, other); }

    /** Rows (or slices along {@code dim}) picked by an int64 index tensor, like {@code index_select}. */
    public Tensor indexSelect(int dim, Tensor index) { return IndexOps.indexSelect(this, dim, index); }

    /** Values at {@code index} along {@code dim}, like {@code torch.gather}. */
    public Tensor gather(int dim, Tensor index) { return IndexOps.gather(this, dim, index); }

    /** Concatenates tensors along an existing dimension. */
    public static Tensor cat(int dim, Tensor... tensors) { return IndexOps.cat(dim, tensors); }

    /** Stacks tensors of equal shape along a new dimension. */
    public static Tensor stack(int dim, Tensor... tensors) { return IndexOps.stack(dim, tensors); }

    /** One-hot encoding of an int64 tensor of class indices: shape + [numClasses], float32. */
    public Tensor oneHot(int numClasses) { return IndexOps.oneHot(this, numClasses); }

    // ------------------------------------------------------------------ printing and equality helpers

    /** True when shapes are equal and all values differ by at most {@code atol + rtol*|other|}. */
    public boolean allClose(Tensor other, float rtol, float atol) {
        if (!Shape.same(shape, other.shape)) return false;
        float[] a = toFloatArray(), b = other.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) || Float.isNaN(b[i])) return false;
            if (Math.abs(a[i] - b[i]) > atol + rtol * Math.abs(b[i])) return false;
        }
        return true;
    }

    /** Prints like PyTorch: {@code tensor([[1., 2.], [3., 4.]], requires_grad=True)}. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }

    /** Values and int64 indices, as returned by {@link #max(int, boolean)} and {@link #min(int, boolean)}. */
    public record ValuesIndices(Tensor values, Tensor indices) {}
}
