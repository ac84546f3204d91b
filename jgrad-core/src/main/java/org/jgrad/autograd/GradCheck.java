package org.jgrad.autograd;

import java.util.Locale;
import java.util.function.Function;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Compares the gradients autograd computes with numerical ones, as the lectures recommend
 * ("derive the analytic gradient, check it with the numerical gradient").
 *
 * <p>The function's output is reduced to a scalar with fixed random weights, {@code L = Σ v·f(x)},
 * so every output element is checked. Numerical derivatives are central differences refined by
 * one Richardson step, {@code (4·D(h/2) − D(h)) / 3}, whose truncation error is O(h⁴): in float32
 * this reaches about 1e-4 relative accuracy, enough to catch a 1% error in a backward function.
 *
 * <p>Tolerances (defaults): an element passes when {@code |analytic − numeric| ≤ atol + rtol·|numeric|}
 * with {@code atol = 1e-3}, {@code rtol = 1e-2}; and the whole gradient of each input must agree
 * in relative norm, {@code ‖a − n‖ ≤ normTol·max(‖a‖, ‖n‖) + atol}, with {@code normTol = 3e-3}. The
 * norm test is what catches small systematic errors such as a 1% scale factor.
 * Step {@code h = eps·max(1, |x|)} with {@code eps = 1e-2}. Keep test inputs away from kinks
 * (ReLU at 0, ties in max) by more than {@code h}.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in[0].mul(in[1]).sum(), a, b);
 * assertTrue(r.passed(), r.report());
 * }</pre>
 */
public final class GradCheck {
    private double eps = 1e-2, atol = 1e-3, rtol = 1e-2, normTol = 3e-3;
    private long seed = 1234;

    /** A checker with the default tolerances. */
    public static GradCheck create() {
        return new GradCheck();
    }

    /** Relative step of the central differences: {@code h = eps·max(1, |x|)} (default 1e-2). */
    public GradCheck eps(double v) { eps = v; return this; }

    /** Absolute tolerance per element and in the norm test (default 1e-3). */
    public GradCheck atol(double v) { atol = v; return this; }

    /** Relative tolerance per element, against the numerical value (default 1e-2). */
    public GradCheck rtol(double v) { rtol = v; return this; }

    /** Relative tolerance of each input's whole gradient, in norm (default 3e-3). */
    public GradCheck normTol(double v) { normTol = v; return this; }

    /** Seed of the random weights that reduce the output to a scalar (default 1234). */
    public GradCheck seed(long v) { seed = v; return this; }

    /** Checks with default settings; see {@link #run}. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return create().run(f, inputs);
    }

    /** Checks and throws an {@link AssertionError} with the report when the gradients disagree. */
    public static void assertGradients(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Result r = check(f, inputs);
        if (!r.passed()) throw new AssertionError(r.report());
    }

    /** The outcome: whether all inputs passed, the worst errors, and a readable report. */
    public record Result(boolean passed, double maxAbsError, double maxRelNormError, String report) {}

    /**
     * Runs the check. Float inputs that have {@code requiresGrad} set are checked (if none is set,
     * all float inputs are). The inputs themselves are not modified: the check works on copies.
     */
    public Result run(Function<Tensor[], Tensor> f, Tensor... inputs) {
        boolean anyMarked = false;
        for (Tensor t : inputs) anyMarked |= t.requiresGrad();
        Tensor[] work = new Tensor[inputs.length];
        boolean[] checked = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor c = inputs[i].cloneData();
            checked[i] = c.dtype() == org.jgrad.tensor.DType.FLOAT32 && (!anyMarked || inputs[i].requiresGrad());
            if (checked[i]) c.requiresGrad(true);
            work[i] = c;
        }
        Tensor out;
        try (NoGrad g = NoGrad.enableGrad()) {
            out = f.apply(work);
        }
        Generator gen = new Generator(seed);
        Tensor v = Tensor.uniform(gen, 0.5f, 1.5f, out.shape());
        double[] vd = toDouble(v.toFloatArray());
        if (out.requiresGrad()) {
            try (NoGrad g = NoGrad.enableGrad()) {
                out.mul(v).sum().backward();
            }
        }
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        double worstAbs = 0, worstRel = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (!checked[i]) continue;
            Tensor x = work[i];
            float[] xd = TensorData.floats(x);
            int n = x.numel();
            double[] analytic = x.grad() == null ? new double[n] : toDouble(x.grad().toFloatArray());
            double[] numeric = new double[n];
            for (int j = 0; j < n; j++) {
                float orig = xd[j];
                double h = eps * Math.max(1.0, Math.abs(orig));
                double d1 = diff(f, work, xd, j, orig, h, vd);
                double d2 = diff(f, work, xd, j, orig, h / 2, vd);
                numeric[j] = (4 * d2 - d1) / 3;
            }
            double diffNorm = 0, aNorm = 0, nNorm = 0;
            int bad = 0;
            StringBuilder firstBad = new StringBuilder();
            for (int j = 0; j < n; j++) {
                double e = Math.abs(analytic[j] - numeric[j]);
                worstAbs = Math.max(worstAbs, e);
                diffNorm += e * e;
                aNorm += analytic[j] * analytic[j];
                nNorm += numeric[j] * numeric[j];
                if (!(e <= atol + rtol * Math.abs(numeric[j]))) {
                    if (bad++ < 5)
                        firstBad.append(String.format(Locale.ROOT, "    element %d: analytic %.6g, numeric %.6g%n", j, analytic[j], numeric[j]));
                }
            }
            diffNorm = Math.sqrt(diffNorm);
            double scale = Math.max(Math.sqrt(aNorm), Math.sqrt(nNorm));
            double rel = scale == 0 ? 0 : diffNorm / scale;
            worstRel = Math.max(worstRel, rel);
            boolean normOk = diffNorm <= normTol * scale + atol;
            if (bad > 0 || !normOk) {
                ok = false;
                report.append(String.format(Locale.ROOT, "input %d %s: %d of %d elements differ, relative norm error %.3g%n",
                        i, Shape.str(x.shape()), bad, n, rel)).append(firstBad);
            }
        }
        if (ok) report.append(String.format(Locale.ROOT, "gradients match (max abs error %.3g, max relative norm error %.3g)",
                worstAbs, worstRel));
        else report.insert(0, "gradient check failed:\n");
        return new Result(ok, worstAbs, worstRel, report.toString());
    }

    private static double diff(Function<Tensor[], Tensor> f, Tensor[] work, float[] xd, int j, float orig, double h, double[] v) {
        float plus = (float) (orig + h), minus = (float) (orig - h);
        double realH = ((double) plus - (double) minus) / 2; // the step float32 can actually represent
        xd[j] = plus;
        double fp = eval(f, work, v);
        xd[j] = minus;
        double fm = eval(f, work, v);
        xd[j] = orig;
        return (fp - fm) / (2 * realH);
    }

    private static double eval(Function<Tensor[], Tensor> f, Tensor[] work, double[] v) {
        float[] o;
        try (NoGrad g = NoGrad.enter()) {
            o = f.apply(work).toFloatArray();
        }
        double s = 0;
        for (int i = 0; i < o.length; i++) s += v[i] * o[i];
        return s;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
