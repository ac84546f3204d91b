package org.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.internal.TensorData;
import org.junit.jupiter.api.Test;

/** {@code Tensor.clone()}: an independent contiguous copy that stays in the graph, like {@code torch.clone}. */
class TensorCloneTest {

    @Test
    void copiesValuesIntoStorageOfItsOwn() {
        Tensor a = Tensor.arange(6).toFloat().reshape(2, 3);
        Tensor t = a.transpose(0, 1); // a non-contiguous view
        Tensor c = t.clone();
        assertArrayEquals(new int[] {3, 2}, c.shape());
        assertTrue(c.isContiguous());
        assertArrayEquals(t.contiguous().toFloatArray(), c.toFloatArray());
        c.fillInPlace(7f);
        assertEquals(1f, a.get(0, 1), "writing into the clone leaves the original alone");
        Tensor ids = TensorData.wrapLongs(new long[] {4, 5}, 2);
        assertArrayEquals(new long[] {4, 5}, ids.clone().toLongArray());
        assertFalse(ids.clone() == ids);
    }

    @Test
    void gradientsFlowThroughTheClone() {
        Tensor a = Tensor.randn(new Generator(5), 3, 4).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(in -> in[0].transpose(0, 1).clone().mul(in[0].transpose(0, 1)).sum(1, false), a);
        assertTrue(r.passed(), r.report());
        Tensor x = Tensor.randn(new Generator(6), 2, 2).requiresGrad(true);
        x.clone().mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3, 3}, x.grad().toFloatArray());
    }
}
