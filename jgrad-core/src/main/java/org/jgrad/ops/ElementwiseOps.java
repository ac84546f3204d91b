package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.ElementwiseBackend;
import org.jgrad.backend.ElementwiseBackend.Binary;
import org.jgrad.backend.ElementwiseBackend.Unary;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Elementwise unary and binary ops with NumPy broadcasting, each with its backward. */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /** Comparison kinds; results are float32 masks of 0 and 1. */
    public enum Cmp {
        /** Equal (NaN is equal to nothing). */
        EQ,
        /** Not equal (true for NaN). */
        NE,
        /** Less than. */
        LT,
        /** Less than or equal. */
        LE,
        /** Greater than. */
        GT,
        /** Greater than or equal. */
        GE
    }

    static void requireFloat(String op, Tensor... ts) {
        for (Tensor t : ts)
            if (t.dtype() != DType.FLOAT32)
                throw new IllegalArgumentException(op + ": expected float32 tensors, got " + t.dtype().pyName()
                        + " of shape " + Shape.str(t.shape()) + " (convert with toFloat())");
    }

    /** Strides that read {@code t} as if expanded to {@code shape} (0 on broadcast dims). */
    public static int[] broadcastStrides(Tensor t, int[] shape) {
        int[] ts = t.shape(), st = t.strides();
        int n = shape.length, off = n - ts.length;
        int[] out = new int[n];
        for (int i = off; i < n; i++) out[i] = ts[i - off] == 1 && shape[i] != 1 ? 0 : st[i - off];
        return out;
    }

    private static Tensor binaryForward(String name, Binary op, Tensor a, Tensor b) {
        requireFloat(name, a, b);
        int[] shape = Shape.broadcast(name, a.shape(), b.shape());
        Shape.numel(shape);
        return TensorData.wrap(backend().binary(op, shape, TensorData.storage(a), a.offset(), broadcastStrides(a, shape),
                TensorData.storage(b), b.offset(), broadcastStrides(b, shape)), shape);
    }

    private static ElementwiseBackend backend() {
        return Backends.current().elementwise();
    }

    private static Tensor unaryForward(String name, Unary op, Tensor x) {
        requireFloat(name, x);
        Tensor c = x.contiguous();
        return TensorData.wrap(backend().unary(op, TensorData.storage(c), c.offset(), c.numel()), x.shape());
    }

    private static Tensor reduceTo(Tensor g, Tensor like) {
        return ReduceOps.sumToShape(g, like.shape());
    }

    /** {@code a + b}, broadcast; each gradient is summed back to its operand's shape. */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = binaryForward("add", Binary.ADD, a, b);
        return Autograd.record(out, "add", g -> new Tensor[] {reduceTo(g, a), reduceTo(g, b)}, a, b);
    }

    /** {@code a − b}, broadcast. */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binaryForward("sub", Binary.SUB, a, b);
        return Autograd.record(out, "sub", g -> new Tensor[] {reduceTo(g, a), b.requiresGrad() ? reduceTo(g.neg(), b) : null}, a, b);
    }

    /** {@code a · b} elementwise (not a matrix product), broadcast. */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binaryForward("mul", Binary.MUL, a, b);
        return Autograd.record(out, "mul", g -> new Tensor[] {
                a.requiresGrad() ? reduceTo(g.mul(b), a) : null,
                b.requiresGrad() ? reduceTo(g.mul(a), b) : null}, a, b);
    }

    /** {@code a / b}, broadcast; IEEE rules for zeros ({@code 1/0 = ∞}, {@code 0/0 = NaN}), as in PyTorch. */
    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = binaryForward("div", Binary.DIV, a, b);
        return Autograd.record(out, "div", g -> new Tensor[] {
                a.requiresGrad() ? reduceTo(g.div(b), a) : null,
                b.requiresGrad() ? reduceTo(g.mul(out).div(b).neg(), b) : null}, a, b);
    }

    /**
     * {@code a^b}, broadcast, with {@link Math#pow}'s values. Gradients follow PyTorch where the formula
     * would give NaN: 0 for {@code a} where {@code b = 0}, and 0 for {@code b} where {@code a = 0, b ≥ 0}.
     */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = binaryForward("pow", Binary.POW, a, b);
        // PyTorch's masks: d/da is 0 where b == 0 (not 0 * 0^-1 = NaN), and d/db is 0 where a == 0 and
        // b >= 0 (the limit of a^b·log a), not 0 * -inf = NaN.
        return Autograd.record(out, "pow", g -> new Tensor[] {
                a.requiresGrad() ? reduceTo(Tensor.where(b.eq(0f), Tensor.scalar(0f), g.mul(b).mul(a.pow(b.sub(1f)))), a) : null,
                b.requiresGrad() ? reduceTo(Tensor.where(a.eq(0f).mul(b.ge(0f)), Tensor.scalar(0f), g.mul(out).mul(a.log())), b) : null},
                a, b);
    }

    /** The larger of {@code a} and {@code b} per element (NaN if either is); a tie splits the gradient evenly, as in PyTorch. */
    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = binaryForward("maximum", Binary.MAX, a, b);
        return Autograd.record(out, "maximum", g -> {
            // ties split the gradient evenly, as PyTorch does
            Tensor wa = a.gt(b).add(a.eq(b).mul(0.5f));
            return new Tensor[] {reduceTo(g.mul(wa), a), reduceTo(g.mul(wa.rsub(1f)), b)};
        }, a, b);
    }

    /** The smaller of {@code a} and {@code b} per element (NaN if either is); a tie splits the gradient evenly. */
    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = binaryForward("minimum", Binary.MIN, a, b);
        return Autograd.record(out, "minimum", g -> {
            Tensor wa = a.lt(b).add(a.eq(b).mul(0.5f));
            return new Tensor[] {reduceTo(g.mul(wa), a), reduceTo(g.mul(wa.rsub(1f)), b)};
        }, a, b);
    }

    /** {@code a + s}. */
    public static Tensor addScalar(Tensor a, float s) {
        Tensor out = binaryForward("add", Binary.ADD, a, Tensor.scalar(s));
        if (!Autograd.needsGraph(a)) return out;
        return Autograd.record(out, "add", new ElementwiseAttributes.Scalar(s), g -> new Tensor[] {g}, a);
    }

    /** {@code a - s}; the same values as adding {@code -s}, recorded under PyTorch's name. */
    public static Tensor subScalar(Tensor a, float s) {
        Tensor out = binaryForward("sub", Binary.SUB, a, Tensor.scalar(s));
        if (!Autograd.needsGraph(a)) return out;
        return Autograd.record(out, "sub", new ElementwiseAttributes.Scalar(s), g -> new Tensor[] {g}, a);
    }

    /** {@code a / s}, a true division: multiplying by {@code 1/s} would round differently. */
    public static Tensor divScalar(Tensor a, float s) {
        Tensor out = binaryForward("div", Binary.DIV, a, Tensor.scalar(s));
        if (!Autograd.needsGraph(a)) return out;
        return Autograd.record(out, "div", new ElementwiseAttributes.Scalar(s), g -> new Tensor[] {g.div(s)}, a);
    }

    /** {@code −x}. */
    public static Tensor neg(Tensor x) {
        Tensor out = unaryForward("neg", Unary.NEG, x);
        return Autograd.record(out, "neg", g -> new Tensor[] {g.neg()}, x);
    }

    /** {@code a · s}. */
    public static Tensor mulScalar(Tensor a, float s) {
        Tensor out = binaryForward("mul", Binary.MUL, a, Tensor.scalar(s));
        if (!Autograd.needsGraph(a)) return out;
        return Autograd.record(out, "mul", new ElementwiseAttributes.Scalar(s), g -> new Tensor[] {g.mul(s)}, a);
    }

    /** {@code a^e} for a constant exponent; the gradient {@code e·a^(e−1)} is 0 everywhere when {@code e = 0}. */
    public static Tensor powScalar(Tensor a, float e) {
        Tensor out = binaryForward("pow", Binary.POW, a, Tensor.scalar(e));
        if (!Autograd.needsGraph(a)) return out;
        return Autograd.record(out, "pow", new ElementwiseAttributes.Scalar(e), g -> new Tensor[] {e == 0 ? Tensor.zerosLike(a) : g.mul(a.pow(e - 1f).mul(e))}, a);
    }

    /** A copy with its own storage that stays in the graph (PyTorch's {@code clone}): gradients flow back to {@code a}. */
    public static Tensor copy(Tensor a) {
        Tensor out = a.cloneData();
        return Autograd.record(out, "clone", g -> new Tensor[] {g}, a);
    }

    /** {@code eˣ}; its backward reuses the output instead of recomputing it. */
    public static Tensor exp(Tensor x) {
        Tensor out = unaryForward("exp", Unary.EXP, x);
        return Autograd.record(out, "exp", g -> new Tensor[] {g.mul(out)}, x);
    }

    /** Natural logarithm: {@code −∞} at 0 and NaN below 0, as in PyTorch. */
    public static Tensor log(Tensor x) {
        Tensor out = unaryForward("log", Unary.LOG, x);
        return Autograd.record(out, "log", g -> new Tensor[] {g.div(x)}, x);
    }

    /** Square root: NaN below 0; the gradient {@code 1/(2√x)} is infinite at 0. */
    public static Tensor sqrt(Tensor x) {
        Tensor out = unaryForward("sqrt", Unary.SQRT, x);
        return Autograd.record(out, "sqrt", g -> new Tensor[] {g.div(out).mul(0.5f)}, x);
    }

    /** {@code |x|}; the gradient is {@code sign(x)}, so 0 at 0, as in PyTorch. */
    public static Tensor abs(Tensor x) {
        Tensor out = unaryForward("abs", Unary.ABS, x);
        return Autograd.record(out, "abs", g -> new Tensor[] {g.mul(x.sign())}, x);
    }

    /** {@code x²}, recorded as PyTorch's {@code pow}. */
    public static Tensor square(Tensor x) {
        Tensor out = unaryForward("square", Unary.SQUARE, x);
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "pow", new ElementwiseAttributes.Scalar(2), g -> new Tensor[] {g.mul(x).mul(2f)}, x);
    }

    /** {@code 1/x}: ±∞ at ±0. */
    public static Tensor reciprocal(Tensor x) {
        Tensor out = unaryForward("reciprocal", Unary.RECIPROCAL, x);
        return Autograd.record(out, "reciprocal", g -> new Tensor[] {g.mul(out.square()).neg()}, x);
    }

    /** Sine, in radians. */
    public static Tensor sin(Tensor x) {
        Tensor out = unaryForward("sin", Unary.SIN, x);
        return Autograd.record(out, "sin", g -> new Tensor[] {g.mul(x.cos())}, x);
    }

    /** Cosine, in radians. */
    public static Tensor cos(Tensor x) {
        Tensor out = unaryForward("cos", Unary.COS, x);
        return Autograd.record(out, "cos", g -> new Tensor[] {g.mul(x.sin()).neg()}, x);
    }

    /** The logistic function {@code 1/(1 + e^−x)}, without overflow for large |x|; gradient {@code σ(1 − σ)}. */
    public static Tensor sigmoid(Tensor x) {
        Tensor out = unaryForward("sigmoid", Unary.SIGMOID, x);
        return Autograd.record(out, "sigmoid", g -> new Tensor[] {g.mul(out.mul(out.rsub(1f)))}, x);
    }

    /** Hyperbolic tangent; gradient {@code 1 − tanh²}. */
    public static Tensor tanh(Tensor x) {
        Tensor out = unaryForward("tanh", Unary.TANH, x);
        return Autograd.record(out, "tanh", g -> new Tensor[] {g.mul(out.square().rsub(1f))}, x);
    }

    /** {@code max(x, 0)}; the gradient is 0 at 0, as in PyTorch, and NaN stays NaN. */
    public static Tensor relu(Tensor x) {
        Tensor out = unaryForward("relu", Unary.RELU, x);
        return Autograd.record(out, "relu", g -> new Tensor[] {reluBackward(g, out)}, x);
    }

    /**
     * Records {@code y = relu(z)} for a fused op that has already applied the ReLU to its fresh output
     * array in its own epilogue: {@code z} is the op's recorded output (its backward must not read its
     * values), {@code y} a second tensor over the same array. Autograd then sees the same two nodes,
     * and computes the same gradients, as for {@code op(...).relu()}, without the ReLU's pass and array.
     */
    static Tensor reluFusedInto(Tensor z) {
        return reluFusedInto(z, false);
    }

    /**
     * {@link #reluFusedInto(Tensor)}; with {@code producerMasks} the ReLU's node hands its gradient on
     * unchanged, because the op that made {@code z} (internal to it, with no other consumer) applies the
     * mask {@code [y > 0]} in its own backward pass (the fused batch norm + ReLU).
     */
    static Tensor reluFusedInto(Tensor z, boolean producerMasks) {
        Tensor y = TensorData.wrap(TensorData.storage(z), z.shape());
        if (!z.requiresGrad()) return y;
        if (producerMasks) return Autograd.record(y, "relu", g -> new Tensor[] {g}, z);
        return Autograd.record(y, "relu", g -> new Tensor[] {reluBackward(g, y)}, z);
    }

    /**
     * {@link #reluFusedInto} for a ReLU whose one reader is a 2×2 max pool that applies the ReLU's
     * backward itself ({@link PoolOps#maxPool2x2AfterRelu}): the same "relu" node, whose backward passes
     * the gradient on. That gradient is already g · [y > 0] wherever it is not zero (at the windows'
     * maxima), and zero times the mask elsewhere, so the mask would change nothing. Only for a y that
     * no other op reads: {@link ConvOps#conv2dReluMaxPool2d} never hands it out.
     */
    static Tensor reluFusedIntoPool(Tensor z) {
        Tensor y = TensorData.wrap(TensorData.storage(z), z.shape());
        if (!z.requiresGrad()) return y;
        return Autograd.record(y, "relu", g -> new Tensor[] {g}, z);
    }

    /**
     * g·[out > 0] in one pass; this was g.mul(out.gt(0)), three passes and two temporaries per
     * ReLU in every backward. Multiplying by the 0/1 mask (not selecting g or 0) keeps NaN·0 = NaN.
     */
    static Tensor reluBackward(Tensor g, Tensor out) {
        if (!Shape.same(g.shape(), out.shape())) return g.mul(out.gt(0f));
        Tensor gc = g.contiguous();
        return TensorData.wrapGradient(backend().reluBackward(TensorData.storage(gc), gc.offset(), TensorData.storage(out),
                out.offset(), out.numel()), out.shape());
    }

    /** −1, 0 or 1 per element (NaN stays NaN); piecewise constant, so its gradient is 0. */
    public static Tensor sign(Tensor x) {
        Tensor out = unaryForward("sign", Unary.SIGN, x);
        return Autograd.record(out, "sign", g -> new Tensor[] {Tensor.zerosLike(x)}, x);
    }

    /**
     * {@code x} limited to {@code [min, max]}; the gradient passes where {@code min ≤ x ≤ max} and is 0 outside.
     *
     * @throws IllegalArgumentException when {@code min > max}
     */
    public static Tensor clamp(Tensor x, float min, float max) {
        requireFloat("clamp", x);
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        Tensor c = x.contiguous();
        Tensor res = TensorData.wrap(backend().clamp(TensorData.storage(c), c.offset(), c.numel(), min, max), x.shape());
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "clamp", new ElementwiseAttributes.Clamp(min, max), g -> new Tensor[] {g.mul(x.ge(min).mul(x.le(max)))}, x);
    }

    /** The comparison {@code a cmp b} per element, broadcast, as a float32 mask of 0 and 1; not differentiable (no graph). */
    public static Tensor compare(Tensor a, Tensor b, Cmp cmp) {
        String name = cmp.name().toLowerCase();
        Tensor fa = a.toFloat(), fb = b.toFloat();
        int[] shape = Shape.broadcast(name, fa.shape(), fb.shape());
        Tensor ea = fa.expand(shape).contiguous(), eb = fb.expand(shape).contiguous();
        ElementwiseBackend.Compare c = switch (cmp) {
            case EQ -> ElementwiseBackend.Compare.EQ;
            case NE -> ElementwiseBackend.Compare.NE;
            case LT -> ElementwiseBackend.Compare.LT;
            case LE -> ElementwiseBackend.Compare.LE;
            case GT -> ElementwiseBackend.Compare.GT;
            case GE -> ElementwiseBackend.Compare.GE;
        };
        return TensorData.wrap(backend().compare(c, TensorData.storage(ea), ea.offset(), TensorData.storage(eb), eb.offset(),
                Shape.numel(shape)), shape);
    }

    /** {@code a} where {@code cond} is non-zero, else {@code b}, all three broadcast; each gradient flows only through the elements it supplied. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        requireFloat("where", a, b);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor c = cond.toFloat().expand(shape).contiguous();
        Tensor ea = a.expand(shape).contiguous(), eb = b.expand(shape).contiguous();
        Tensor res = TensorData.wrap(backend().where(TensorData.storage(c), c.offset(), TensorData.storage(ea), ea.offset(),
                TensorData.storage(eb), eb.offset(), Shape.numel(shape)), shape);
        Tensor mask = c.detach();
        return Autograd.record(res, "where", g -> new Tensor[] {
                a.requiresGrad() ? reduceTo(g.mul(mask), a) : null,
                b.requiresGrad() ? reduceTo(g.mul(mask.rsub(1f)), b) : null}, a, b);
    }

}
