package org.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jgrad.internal.TensorData;
import org.junit.jupiter.api.Test;

/** Expected strings are what PyTorch 2.x prints for the same tensors with default print options. */
class TensorFormatterTest {

    @Test
    void matrixOfIntegersUsesTrailingDotAndAlignsRows() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new float[][] {{1, 2}, {3, 4}}).toString());
    }

    @Test
    void fractionsUseFourDecimals() {
        assertEquals("tensor([0.1000, 2.5000])", Tensor.of(0.1f, 2.5f).toString());
        assertEquals("tensor([-1.5000,  2.0000])", Tensor.of(-1.5f, 2f).toString());
    }

    @Test
    void scalarWithGradFn() {
        Tensor x = Tensor.of(5f, 3f, 2f), w = Tensor.of(0.1f, 0.6f, 0.5f);
        Tensor b = Tensor.scalar(0.8f).requiresGrad(true);
        assertEquals("tensor(4.1000, grad_fn=<AddBackward0>)", x.matmul(w).add(b).toString());
        assertEquals("tensor(3.)", Tensor.scalar(3f).toString());
        assertEquals("tensor(7)", TensorData.wrapLongs(new long[] {7}).toString());
    }

    @Test
    void requiresGradSuffix() {
        assertEquals("tensor([1., 2.], requires_grad=True)", Tensor.of(1f, 2f).requiresGrad(true).toString());
    }

    @Test
    void suffixWrapsPastLineWidth() {
        assertEquals("tensor([10., 11., 12., 13., 14., 15., 16., 17., 18., 19., 20., 21., 22.],\n"
                + "       requires_grad=True)", Tensor.arange(10, 23, 1).requiresGrad(true).toString());
    }

    @Test
    void int64() {
        assertEquals("tensor([1, 2, 3])", Tensor.ofLongs(1, 2, 3).toString());
        assertEquals("tensor([[ -1, 200],\n        [  3,   4]])", TensorData.wrapLongs(new long[] {-1, 200, 3, 4}, 2, 2).toString());
        // widths come from the exact longs, not from doubles (9999999999999999 rounds to 1e16 as a double)
        assertEquals("tensor([9999999999999999,                1])", Tensor.ofLongs(9999999999999999L, 1).toString());
        assertEquals("tensor([-9223372036854775808])", Tensor.ofLongs(Long.MIN_VALUE).toString());
    }

    @Test
    void scientificWhenRangeIsWide() {
        assertEquals("tensor([1.0000e-05, 1.0000e+03])", Tensor.of(1e-5f, 1e3f).toString());
        // integers spanning more than a factor 1000 also switch to scientific notation
        assertEquals("tensor([1.0000e+00, 2.0000e+03])", Tensor.of(1f, 2000f).toString());
        assertEquals("tensor([   1., 1000.])", Tensor.of(1f, 1000f).toString());
        assertEquals("tensor([1.0000e+09])", Tensor.of(1e9f, 1e9f).narrow(0, 0, 1).toString());
        assertEquals("tensor([-1.2346e-05,  0.0000e+00])", Tensor.of(-1.23456e-5f, 0f).toString());
    }

    @Test
    void roundsHalfToEvenOnTheExactBinaryValueLikePython() {
        // 0.03125 is exact in binary; Python's '{:.4f}' gives 0.0312, String.format would give 0.0313
        assertEquals("tensor([0.0312, 1.0000])", Tensor.of(0.03125f, 1f).toString());
    }

    @Test
    void nonFiniteValuesAreRightAligned() {
        assertEquals("tensor([0.5000,    nan,    inf,   -inf])",
                Tensor.of(0.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY).toString());
        assertEquals("tensor([1., inf])", Tensor.of(1f, Float.POSITIVE_INFINITY).toString());
        assertEquals("tensor([0., 0.])", Tensor.zeros(2).toString());
        // -0 is a zero, so it does not count towards the width
        assertEquals("tensor([-0., 1.])", Tensor.of(-0f, 1f).toString());
    }

    @Test
    void emptyTensorsShowSizeAndDtype() {
        assertEquals("tensor([])", Tensor.zeros(0).toString());
        assertEquals("tensor([], size=(2, 0))", Tensor.zeros(2, 0).toString());
        assertEquals("tensor([], dtype=torch.int64)", Tensor.zerosLong(0).toString());
    }

    @Test
    void threeDimensionsSeparateBlocksWithBlankLine() {
        assertEquals("tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
                Tensor.arange(8).reshape(2, 2, 2).toString());
    }

    @Test
    void longVectorsWrapAtEightyColumns() {
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                + "        14., 15., 16., 17., 18., 19.])", Tensor.arange(20).toString());
    }

    @Test
    void summarizes1dLikePyTorch() {
        assertEquals("tensor([ 100.,  101.,  102.,  ..., 2097., 2098., 2099.])", Tensor.arange(100, 2100, 1).toString());
        // torch.arange(2000.): the kept edge values 1 .. 1999 span more than 1000x, so PyTorch goes scientific and wraps
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "        1.9990e+03])", Tensor.arange(2000).toString());
        // torch.arange(2000) (int64) prints the padded, non-scientific form
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", Tensor.arange(2000).toLong().toString());
        assertEquals("tensor([   0,    1,    2,  ..., 1998, 1999, 2000])",
                Tensor.arange(0, 2001, 1).toLong().toString());
    }

    @Test
    void summarizes2dLikePyTorch() {
        assertEquals("tensor([[ 100.,  101.,  102.,  ...,  147.,  148.,  149.],\n"
                + "        [ 150.,  151.,  152.,  ...,  197.,  198.,  199.],\n"
                + "        [ 200.,  201.,  202.,  ...,  247.,  248.,  249.],\n"
                + "        ...,\n"
                + "        [1950., 1951., 1952.,  ..., 1997., 1998., 1999.],\n"
                + "        [2000., 2001., 2002.,  ..., 2047., 2048., 2049.],\n"
                + "        [2050., 2051., 2052.,  ..., 2097., 2098., 2099.]])",
                Tensor.arange(100, 2100, 1).reshape(40, 50).toString());
        String zeros = "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "        ...,\n"
                + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
                + "        [0., 0., 0.,  ..., 0., 0., 0.]])";
        assertEquals(zeros, Tensor.zeros(40, 40).toString());
        // a non-contiguous view prints its own values, not the storage order
        assertEquals(zeros, Tensor.zeros(40, 40).t().toString());
    }

    @Test
    void summaryWidthComesFromTheShownValuesOnly() {
        // the hidden middle holds 1e6, which must not widen the columns
        Tensor t = Tensor.ones(1001);
        TensorData.floats(t)[500] = 1e6f;
        assertEquals("tensor([1., 1., 1.,  ..., 1., 1., 1.])", t.toString());
    }

    @Test
    void transposedViewPrintsLogicalOrder() {
        assertEquals("tensor([[1., 3.],\n        [2., 4.]])", Tensor.of(new float[][] {{1, 2}, {3, 4}}).t().toString());
    }

    @Test
    void gradFnNamesOfCommonOps() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        assertEquals("tensor(1.5000, grad_fn=<MeanBackward0>)", x.mean().toString());
        assertEquals("tensor(3., grad_fn=<SumBackward0>)", x.sum().toString());
        assertEquals("tensor(0.5000, grad_fn=<VarBackward0>)", x.var().toString());
        assertEquals("tensor(0.7071, grad_fn=<StdBackward0>)", x.std().toString());
        assertEquals("tensor([0.5000, 1.0000], grad_fn=<DivBackward0>)", x.div(2f).toString());
        assertEquals("tensor([-1., -2.], grad_fn=<NegBackward0>)", x.neg().toString());
        assertEquals("tensor([0., 1.], grad_fn=<SubBackward0>)", x.sub(1f).toString());
        assertEquals("tensor([1., 4.], grad_fn=<PowBackward0>)", x.square().toString());
        assertEquals("tensor([[1., 2.]], grad_fn=<ViewBackward0>)", x.view(1, 2).toString());
        assertEquals("tensor([[1.],\n        [2.]], grad_fn=<TransposeBackward0>)", x.view(1, 2).transpose(0, 1).toString());
        assertEquals("tensor([[1., 2.]], grad_fn=<UnsqueezeBackward0>)", x.unsqueeze(0).toString());
        assertEquals("tensor([0.7311, 0.8808], grad_fn=<SigmoidBackward0>)", x.sigmoid().toString());
    }
}
