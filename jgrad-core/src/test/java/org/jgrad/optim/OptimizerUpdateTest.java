package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Three steps of every optimizer on f(w) = ½·Σ a_i·(w_i − c_i)², against a float64 reference
 * written from PyTorch's documented update formulas.
 */
class OptimizerUpdateTest {
    private static final double[] A = {1.0, 3.0, 0.5, 2.0};
    private static final double[] C = {0.2, -0.5, 1.0, 0.0};
    private static final double[] W0 = {0.5, -1.0, 2.0, -0.3};
    private static final int STEPS = 3;

    /** One reference update in double: returns the new w given w, its gradient and the step number t (1-based). */
    private interface Reference {
        void step(double[] w, double[] g, int t);
    }

    private static double[] grad(double[] w) {
        double[] g = new double[w.length];
        for (int i = 0; i < w.length; i++) g[i] = A[i] * (w[i] - C[i]);
        return g;
    }

    private static void check(Function<List<Tensor>, Optimizer> make, Reference ref) {
        double[] w = W0.clone();
        for (int t = 1; t <= STEPS; t++) ref.step(w, grad(w), t);

        float[] init = new float[W0.length];
        for (int i = 0; i < init.length; i++) init[i] = (float) W0[i];
        Tensor param = Tensor.fromArray(init, 2, 2).requiresGrad(true);
        Tensor a = Tensor.fromArray(toFloat(A), 2, 2), c = Tensor.fromArray(toFloat(C), 2, 2);
        Optimizer opt = make.apply(List.of(param));
        for (int t = 1; t <= STEPS; t++) {
            opt.zeroGrad();
            param.sub(c).square().mul(a).sum().mul(0.5f).backward();
            opt.step();
        }
        float[] got = param.toFloatArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], got[i], 2e-6 * Math.max(1, Math.abs(w[i])), opt + "\nelement " + i);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void sgdPlain() {
        check(ps -> new SGD(ps, 0.1), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) w[i] -= 0.1 * g[i];
        });
    }

    @Test
    void sgdMomentumDampeningWeightDecay() {
        double lr = 0.1, mom = 0.9, damp = 0.1, wd = 0.01;
        double[] buf = new double[W0.length];
        check(ps -> new SGD(ps, lr).momentum(mom).dampening(damp).weightDecay(wd), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + wd * w[i];
                buf[i] = t == 1 ? d : mom * buf[i] + (1 - damp) * d;
                w[i] -= lr * buf[i];
            }
        });
    }

    @Test
    void sgdNesterovMaximizeAndL1() {
        double lr = 0.05, mom = 0.8, l1 = 0.02;
        double[] buf = new double[W0.length];
        check(ps -> new SGD(ps, lr).momentum(mom).nesterov(true).l1Decay(l1), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + l1 * Math.signum(w[i]);
                buf[i] = t == 1 ? d : mom * buf[i] + d;
                w[i] -= lr * (d + mom * buf[i]);
            }
        });
        check(ps -> new SGD(ps, 0.1).maximize(true), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) w[i] += 0.1 * g[i];
        });
    }

    @Test
    void adagrad() {
        double lr = 0.1, lrDecay = 0.01, wd = 0.1, init = 0.1, eps = 1e-10;
        double[] sum = new double[W0.length];
        java.util.Arrays.fill(sum, init);
        check(ps -> new Adagrad(ps, lr).lrDecay(lrDecay).weightDecay(wd).initialAccumulatorValue(init), (w, g, t) -> {
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + wd * w[i];
                sum[i] += d * d;
                w[i] -= clr * d / (Math.sqrt(sum[i]) + eps);
            }
        });
    }

    @Test
    void rmspropDefaults() {
        double lr = 0.01, alpha = 0.99, eps = 1e-8;
        double[] sq = new double[W0.length];
        check(ps -> new RMSprop(ps), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                sq[i] = alpha * sq[i] + (1 - alpha) * g[i] * g[i];
                w[i] -= lr * g[i] / (Math.sqrt(sq[i]) + eps);
            }
        });
    }

    @Test
    void rmspropCenteredMomentumWeightDecay() {
        double lr = 0.01, alpha = 0.9, eps = 1e-8, mom = 0.5, wd = 0.05;
        double[] sq = new double[W0.length], ga = new double[W0.length], buf = new double[W0.length];
        check(ps -> new RMSprop(ps, lr).alpha(alpha).momentum(mom).centered(true).weightDecay(wd), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i] + wd * w[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
                ga[i] = alpha * ga[i] + (1 - alpha) * d;
                double avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
                buf[i] = mom * buf[i] + d / avg;
                w[i] -= lr * buf[i];
            }
        });
    }

    private static Reference adamReference(double lr, double b1, double b2, double eps, double wd, boolean decoupled, boolean amsgrad) {
        double[] m = new double[W0.length], v = new double[W0.length], vmax = new double[W0.length];
        return (w, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                double d = g[i];
                if (decoupled) w[i] *= 1 - lr * wd;
                else d += wd * w[i];
                m[i] = b1 * m[i] + (1 - b1) * d;
                v[i] = b2 * v[i] + (1 - b2) * d * d;
                vmax[i] = Math.max(vmax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    @Test
    void adamDefaults() {
        check(ps -> new Adam(ps, 0.1), adamReference(0.1, 0.9, 0.999, 1e-8, 0, false, false));
    }

    @Test
    void adamAmsgradWeightDecayBetas() {
        check(ps -> new Adam(ps, 0.05).betas(0.8, 0.9).amsgrad(true).weightDecay(0.1),
                adamReference(0.05, 0.8, 0.9, 1e-8, 0.1, false, true));
    }

    @Test
    void adamWDecoupledDecay() {
        check(ps -> new AdamW(ps, 0.1), adamReference(0.1, 0.9, 0.999, 1e-8, 1e-2, true, false));
        check(ps -> new AdamW(ps, 0.1).weightDecay(0.5).amsgrad(true), adamReference(0.1, 0.9, 0.999, 1e-8, 0.5, true, true));
    }
}
