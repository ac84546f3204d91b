package org.jgrad.tensor;

import org.jgrad.autograd.Engine;
import org.jgrad.autograd.Node;
import org.jgrad.autograd.PostAccumulateGradHook;
import org.jgrad.autograd.RemovableHandle;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;
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
 * <p>A tensor is a view of a storage (a backend's handle to its elements): shape, strides and an offset. Views ({@link #view},
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
    // Package-private: the helpers of this package (TensorFactories, ElementAccess, InPlace,
    // TensorAutograd, TensorViews) implement the methods below over these fields.
    final DType dtype;
    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;

    boolean requiresGrad;
    boolean retainGrad;
    Node gradFn;
    Tensor grad;
    /** Set by {@link #wrapGradient}: the backward engine may adopt this tensor as a .grad, once, without a copy. */
    boolean adoptable;
    /**
     * Whether {@link #grad} may be held outside jgrad's autograd and optimizers: handed out by
     * {@link #grad()} or set by {@link #setGrad}. Only a gradient that was not can be recycled.
     */
    boolean gradHandedOut;
    /**
     * The gradient {@link #zeroGrad()} cleared when nobody outside could hold it, kept so that the next
     * backward can write its new gradient into the same storage instead of a new (JVM-zeroed) array;
     * null otherwise. See {@code TensorAutograd.takeSpareGrad}.
     */
    Tensor spareGrad;
    /** Hooks the backward engine runs once this leaf's gradient is complete; null until one is registered. */
    private volatile java.util.List<PostAccumulateGradHook> postAccumulateGradHooks;

    private Tensor(DType dtype, Storage storage, int[] shape, int[] strides, int offset) {
        this.dtype = dtype;
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    static {
        TensorData.install(new TensorData.Access() {
            @Override public Storage storage(Tensor t) { return t.storage; }
            @Override public Storage gradTarget(Tensor t) { return TensorAutograd.gradInPlaceTarget(t); }
            @Override public Storage spareGrad(Tensor t) { return TensorAutograd.takeSpareGrad(t); }
            @Override public Tensor peekGrad(Tensor t) { return t.grad; }
            @Override public Tensor wrap(Storage s, int[] shape) { return Tensor.wrap(s, shape); }
            @Override public Tensor wrapGradient(Storage s, int[] shape) { return Tensor.wrapGradient(s, shape); }
        });
    }

    // ------------------------------------------------------------------ wrapping storages (internal)

    /**
     * A contiguous tensor over storage {@code s} without copying (float32 or int64 by the storage's
     * type); the caller hands the storage over. Users want {@link #fromArray}, which copies.
     */
    static Tensor wrap(Storage s, int... shape) {
        return wrap(s.dtype().equals("int64") ? "wrapLongs" : "wrap", s, shape);
    }

    private static Tensor wrap(String op, Storage s, int[] shape) {
        int n = Shape.numel(op, shape);
        if (s.length() != n)
            throw new IllegalArgumentException(op + ": " + s.length() + " values do not fill shape " + Shape.str(shape)
                    + " (" + n + " elements)");
        DType dtype = switch (s.dtype()) {
            case "float32" -> DType.FLOAT32;
            case "int64" -> DType.INT64;
            default -> throw new IllegalArgumentException(op + ": unsupported storage type " + s.dtype());
        };
        return new Tensor(dtype, s, shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /** {@link #wrap(Storage, int...)} over a float array. */
    static Tensor wrap(float[] data, int... shape) {
        return wrap(FloatStorage.wrap(data), shape);
    }

    /** Wraps a long array as a contiguous int64 tensor without copying. */
    static Tensor wrapLongs(long[] data, int... shape) {
        return wrap("wrapLongs", LongStorage.wrap(data), shape);
    }

    /**
     * For backward functions: {@link #wrap} for a gradient computed into a new storage that nothing
     * else references. The backward engine may then make this very tensor a leaf's {@code .grad}
     * instead of copying it ({@link #accumulateGrad}); it does so at most once, so a backward may
     * still return the same tensor for several inputs.
     */
    static Tensor wrapGradient(Storage s, int... shape) {
        Tensor t = wrap(s, shape);
        if (t.dtype != DType.FLOAT32)
            throw new IllegalArgumentException("wrapGradient: a gradient is float32, got an " + s.dtype() + " storage");
        t.adoptable = true;
        return t;
    }

    // ------------------------------------------------------------------ creation

    /** A float tensor with a copy of {@code data} in the given shape. */
    public static Tensor fromArray(float[] data, int... shape) { return TensorFactories.fromArray(data, shape); }

    /** A 1-D float tensor of the given values, or a scalar (0-d) tensor for a single value. */
    public static Tensor of(float... values) { return TensorFactories.of(values); }

    /** A 2-D float tensor from rows of equal length. */
    public static Tensor of(float[][] rows) { return TensorFactories.of(rows); }

    /** A 0-d float tensor. */
    public static Tensor scalar(float value) { return TensorFactories.scalar(value); }

    /** A 1-D int64 tensor of the given values (labels, indices). */
    public static Tensor ofLongs(long... values) { return TensorFactories.ofLongs(values); }

    /** A float tensor of zeros. */
    public static Tensor zeros(int... shape) { return TensorFactories.zeros(shape); }

    /** An int64 tensor of zeros. */
    public static Tensor zerosLong(int... shape) { return TensorFactories.zerosLong(shape); }

    /** A float tensor of ones. */
    public static Tensor ones(int... shape) { return TensorFactories.full(1f, shape); }

    /** A float tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) { return TensorFactories.full(value, shape); }

    /** Zeros with the shape of {@code t} (float32). */
    public static Tensor zerosLike(Tensor t) { return zeros(t.shape); }

    /** Ones with the shape of {@code t} (float32). */
    public static Tensor onesLike(Tensor t) { return ones(t.shape); }

    /** Values {@code start, start+step, ...} below {@code end}, like {@code torch.arange}. */
    public static Tensor arange(float start, float end, float step) { return TensorFactories.arange(start, end, step); }

    /** {@code 0, 1, ..., end-1}. */
    public static Tensor arange(int end) { return arange(0, end, 1); }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(float start, float end, int steps) { return TensorFactories.linspace(start, end, steps); }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) { return eye(n, n); }

    /** An n×m matrix with ones on the diagonal. */
    public static Tensor eye(int n, int m) { return TensorFactories.eye(n, m); }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Generator gen, int... shape) { return uniform(gen, 0, 1, shape); }

    /** Standard normal samples. */
    public static Tensor randn(Generator gen, int... shape) { return normal(gen, 0, 1, shape); }

    /** Uniform samples in [low, high). */
    public static Tensor uniform(Generator gen, float low, float high, int... shape) {
        return TensorFactories.uniform(gen, low, high, shape);
    }

    /** Normal samples with the given mean and standard deviation. */
    public static Tensor normal(Generator gen, float mean, float std, int... shape) {
        return TensorFactories.normal(gen, mean, std, shape);
    }

    /** Uniform random integers in [low, high) as int64. */
    public static Tensor randint(Generator gen, long low, long high, int... shape) {
        return TensorFactories.randint(gen, low, high, shape);
    }

    /** A random permutation of {@code 0..n-1} as int64. */
    public static Tensor randperm(Generator gen, int n) { return TensorFactories.randperm(gen, n); }

    /**
     * A float32 mask of ones with probability {@code p} and zeros otherwise, drawn element by element
     * in row-major order (one {@link Generator#nextFloat} each), like {@code torch.bernoulli} of a
     * tensor filled with p.
     */
    public static Tensor bernoulli(Generator gen, float p, int... shape) { return TensorFactories.bernoulli(gen, p, shape); }

    /**
     * A view with explicit shape, strides and offset over this tensor's storage (like
     * {@code torch.as_strided}); checked against the storage bounds. No gradient flows through it.
     */
    public Tensor asStrided(int[] shape, int[] strides, int offset) { return TensorViews.asStrided(this, shape, strides, offset); }

    /**
     * Internal: a view with the given geometry over this storage, off the graph and unchecked. Ops
     * use it and then attach their own graph node; users want {@link #asStrided}.
     */
    public Tensor detachedView(int[] shape, int[] strides, int offset) {
        return new Tensor(dtype, storage, shape, strides, offset);
    }

    // ------------------------------------------------------------------ metadata

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
        return offset == 0 && storage.length() == numel() && isContiguous();
    }

    // ------------------------------------------------------------------ elements and copies out

    /** The element at the given indices, as a float (int64 values are converted). */
    public float get(int... idx) { return ElementAccess.get(this, idx); }

    /** The element at the given indices of an int64 tensor (float tensors are truncated). */
    public long getLong(int... idx) { return ElementAccess.getLong(this, idx); }

    /**
     * Sets the element at the given indices, like {@code t[idx] = value} (an int64 tensor gets the
     * value truncated toward zero); returns {@code this}. Not recorded by autograd: refused, as the
     * other in-place methods, on a float tensor that requires grad while grad mode is on.
     */
    public Tensor set(float value, int... idx) {
        ElementAccess.set(this, value, idx);
        return this;
    }

    /**
     * Sets the element at the given indices of an int64 tensor (counters, labels), exactly; a float
     * tensor gets the nearest float. Returns {@code this}.
     */
    public Tensor setLong(long value, int... idx) {
        ElementAccess.setLong(this, value, idx);
        return this;
    }

    /** The value of a one-element tensor. */
    public float item() { return ElementAccess.item(this); }

    /** The values in row-major order, as a new array (int64 values are converted). */
    public float[] toFloatArray() { return ElementAccess.toFloatArray(this); }

    /** The values in row-major order as longs (float values are truncated toward zero). */
    public long[] toLongArray() { return ElementAccess.toLongArray(this); }

    /**
     * Copies the values in row-major order into {@code dst}, which must have exactly {@link #numel()}
     * elements (int64 values are converted): {@link #toFloatArray} into a caller's buffer, for a loop
     * that reads every step's output without allocating.
     */
    public void copyTo(float[] dst) { ElementAccess.copyTo(this, dst); }

    /**
     * Copies the values in row-major order into {@code dst[dstOffset .. dstOffset + numel() − 1]}
     * (int64 values are converted); the rest of {@code dst} is left alone.
     */
    public void copyTo(float[] dst, int dstOffset) { ElementAccess.copyTo(this, dst, dstOffset); }

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
        TensorAutograd.setRequiresGrad(this, value);
        return this;
    }

    /** The accumulated gradient, or null before any backward. */
    public Tensor grad() {
        Tensor g = grad;
        if (g != null) gradHandedOut = true;
        return g;
    }

    /** Replaces the gradient (null clears it). */
    public void setGrad(Tensor g) { TensorAutograd.setGrad(this, g); }

    /**
     * Clears the gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). A gradient
     * that was never handed out ({@link #grad()}, {@link #setGrad}) keeps its storage for the next
     * backward to write into, which nothing outside can observe.
     */
    public void zeroGrad() {
        TensorAutograd.zeroGrad(this);
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

    /** Internal: adds {@code g} into this tensor's gradient (used by the backward engine). */
    public void accumulateGrad(Tensor g) { TensorAutograd.accumulateGrad(this, g); }

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
        return new Tensor(dtype, storage, shape, strides, offset);
    }

    /** A copy of the values with a new storage, off the graph. */
    public Tensor cloneData() {
        return dtype == DType.INT64 ? wrapLongs(toLongArray(), shape) : wrap(toFloatArray(), shape);
    }

    /** A differentiable copy (like {@code clone()}). */
    public Tensor copy() {
        return ElementwiseOps.copy(this);
    }

    // ------------------------------------------------------------------ in-place (optimizer updates, init)

    /** Sets every element to {@code value}; returns {@code this}. */
    public Tensor fillInPlace(float value) {
        InPlace.fill(this, value);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor; returns {@code this}. */
    public Tensor copyInPlace(Tensor src) {
        InPlace.copy(this, src);
        return this;
    }

    /** {@code this += alpha * other} (other broadcast to this shape); returns {@code this}. */
    public Tensor addInPlace(Tensor other, float alpha) {
        InPlace.add(this, other, alpha);
        return this;
    }

    /** {@code this *= factor}; returns {@code this}. */
    public Tensor mulInPlace(float factor) {
        InPlace.mul(this, factor);
        return this;
    }

    /**
     * Fills this tensor with samples {@code (float) (mean + std·z)}, z standard normal, drawn in
     * row-major order, like {@code Tensor.normal_}; returns {@code this}. Draws straight into the
     * storage: initializing a large parameter needs no second buffer.
     */
    public Tensor normalInPlace(Generator gen, double mean, double std) {
        InPlace.normal(this, "normalInPlace", gen, mean, std, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        return this;
    }

    /**
     * Fills this tensor with normal samples {@code mean + std·z} redrawn while outside {@code [a, b]}
     * (rejection, bounds in absolute units), like {@code torch.nn.init.trunc_normal_}'s distribution;
     * returns {@code this}.
     */
    public Tensor truncNormalInPlace(Generator gen, double mean, double std, double a, double b) {
        if (!(a <= b)) throw new IllegalArgumentException("truncNormalInPlace: expected a <= b, got a=" + a + ", b=" + b);
        if (!(std > 0) || Double.isInfinite(std))
            throw new IllegalArgumentException("truncNormalInPlace: std must be positive and finite, got " + std);
        InPlace.normal(this, "truncNormalInPlace", gen, mean, std, a, b);
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
    public Tensor[] split(int splitSize, int dim) { return TensorViews.split(this, splitSize, dim); }

    /** Splits along {@code dim} into views of the given sizes, which must add up to that dim's size. */
    public Tensor[] split(int[] sizes, int dim) { return TensorViews.split(this, sizes, dim); }

    /**
     * Splits along {@code dim} into at most {@code chunks} views of equal size (the last may be
     * smaller), like {@code torch.chunk}; fewer come back when the size does not allow that many.
     */
    public Tensor[] chunk(int chunks, int dim) { return TensorViews.chunk(this, chunks, dim); }

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
    public boolean allClose(Tensor other, float rtol, float atol) { return ElementAccess.allClose(this, other, rtol, atol); }

    /** Prints like PyTorch: {@code tensor([[1., 2.], [3., 4.]], requires_grad=True)}. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }

    /** Values and int64 indices, as returned by {@link #max(int, boolean)} and {@link #min(int, boolean)}. */
    public record ValuesIndices(Tensor values, Tensor indices) {}
}
