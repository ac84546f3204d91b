package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The activation layers: PyTorch's printouts, values through the module and through F, modes. */
class ActivationModulesTest {

    @Test
    void printoutsMatchPyTorch() {
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("LeakyReLU(negative_slope=0.1)", new LeakyReLU(0.1).toString());
        assertEquals("ELU(alpha=1.0)", new ELU().toString());
        assertEquals("Softplus(beta=1.0, threshold=20.0)", new Softplus().toString());
        assertEquals("Softmax(dim=1)", new Softmax(1).toString());
        assertEquals("LogSoftmax(dim=-1)", new LogSoftmax(-1).toString());
        assertEquals("RReLU(lower=0.125, upper=0.3333333333333333)", new RReLU().toString());
        assertEquals("GELU(approximate='none')", new GELU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("SiLU()", new SiLU().toString());
        assertEquals("Tanh()", new Tanh().toString());
        assertEquals("Sigmoid()", new Sigmoid().toString());
        assertEquals("Sigmoid(beta=2.0)", new Sigmoid(2).toString());
        assertEquals("Step(threshold=0.0)", new Step().toString());
        assertEquals("Step(threshold=0.5)", new Step(0.5).toString());
        assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
    }

    @Test
    void modulesAndFunctionsAgreeOnKnownValues() {
        Tensor x = Tensor.of(-1f, 0.5f, 2f);
        assertArrayEquals(new float[] {0f, 0.5f, 2f}, new ReLU().call(x).toFloatArray(), 0f);
        assertArrayEquals(new float[] {-0.01f, 0.5f, 2f}, new LeakyReLU().call(x).toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {-0.7615941560f, 0.4621171573f, 0.9640275801f}, new Tanh().call(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.2689414214f, 0.6224593312f, 0.8807970780f}, new Sigmoid().call(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.6321205588f, 0.5f, 2f}, new ELU().call(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.3132616875f, 0.9740769842f, 2.1269280110f}, new Softplus().call(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.1586552539f, 0.3457312306f, 1.9544997361f}, new GELU().call(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.2689414214f, 0.3112296656f, 1.7615941560f}, new SiLU().call(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f, 1f}, new Step().call(x).toFloatArray(), 0f);
        assertArrayEquals(F.softmax(x, 0).toFloatArray(), new Softmax(0).call(x).toFloatArray(), 0f);
        assertArrayEquals(F.logSoftmax(x, 0).toFloatArray(), new LogSoftmax(0).call(x).toFloatArray(), 0f);
        assertArrayEquals(F.leakyRelu(x).toFloatArray(), new LeakyReLU().call(x).toFloatArray(), 0f);
        assertArrayEquals(F.gelu(x, "tanh").toFloatArray(), new GELU("tanh").call(x).toFloatArray(), 0f);
    }

    @Test
    void sigmoidBetaIsTheSeedsSteepness() {
        // seed 002: σ(a) = 1/(1 + e^{−βa}); β = 2 at a = 0.5 is σ(1)
        assertEquals(0.7310585786f, new Sigmoid(2).call(Tensor.scalar(0.5f)).item(), 1e-6f);
        assertEquals(0.5f, new Sigmoid(10).call(Tensor.scalar(0f)).item(), 0f);
        GradCheck.assertGradients(in -> F.sigmoid(in[0], 3.0), Tensor.uniform(new Generator(1), -1f, 1f, 2, 3));
    }

    @Test
    void rreluDrawsSlopesInTrainingAndUsesTheMeanInEval() {
        RReLU r = new RReLU().setGenerator(new Generator(7));
        Tensor x = Tensor.full(-1f, 1000);
        float[] y = r.call(x).toFloatArray();
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : y) {
            assertTrue(-v >= 0.125f - 1e-7f && -v <= 1f / 3 + 1e-7f, "slope " + -v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(max - min > 0.15f, "slopes vary per element");
        assertArrayEquals(new float[] {3f}, r.call(Tensor.of(3f, 3f)).narrow(0, 0, 1).toFloatArray(), 0f);
        r.eval();
        float mean = (float) ((1.0 / 8 + 1.0 / 3) / 2);
        assertArrayEquals(new float[] {-2 * mean, 3f}, r.call(Tensor.of(-2f, 3f)).toFloatArray(), 1e-7f);
        r.train();
        assertNotEquals(r.call(x).toFloatArray()[0], r.call(x).toFloatArray()[0]);
    }

    @Test
    void defaultGeneratorMakesRandomLayersReproducible() {
        DefaultGenerator.manualSeed(123);
        float[] a = new Dropout(0.5).call(Tensor.ones(64)).toFloatArray();
        DefaultGenerator.manualSeed(123);
        float[] b = new Dropout(0.5).call(Tensor.ones(64)).toFloatArray();
        assertArrayEquals(a, b, 0f);
    }

    @Test
    void gradientsFlowThroughActivationLayers() {
        Tensor x = Tensor.of(-1.5f, -0.5f, 0.7f, 1.2f);
        for (Module m : new Module[] {new ReLU(), new LeakyReLU(0.2), new ELU(), new Softplus(), new GELU(), new GELU("tanh"),
                new SiLU(), new Tanh(), new Sigmoid(), new Sigmoid(2), new Softmax(0), new LogSoftmax(0)}) {
            GradCheck.Result r = GradCheck.check(in -> m.call(in[0]), x);
            assertTrue(r.passed(), m + ": " + r.report());
        }
        RReLU eval = new RReLU();
        eval.eval();
        GradCheck.assertGradients(in -> eval.call(in[0]), x);
    }
}
