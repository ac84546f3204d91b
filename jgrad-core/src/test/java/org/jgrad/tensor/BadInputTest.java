package org.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every public entry point family rejects bad input with an exception whose message starts with
 * the op's name and names the shapes (or values) involved.
 */
class BadInputTest {

    private static <T extends Throwable> void rejects(Class<T> type, Executable call, String op, String... mentions) {
        T e = assertThrows(type, call);
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(op + ":"), "message should start with '" + op + ":' but was: " + m);
        for (String s : mentions) assertTrue(m.contains(s), "message should mention '" + s + "': " + m);
    }

    @Test
    void creation() {
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "zeros", "[2, -1]");
        rejects(IllegalArgumentException.class, () -> Tensor.zerosLong(-3), "zerosLong", "[-3]");
        rejects(IllegalArgumentException.class, () -> Tensor.ones(-1), "full", "[-1]");
        rejects(IllegalArgumentException.class, () -> Tensor.full(1f, 3, -2), "full", "[3, -2]");
        rejects(IllegalArgumentException.class, () -> Tensor.eye(-1, 2), "eye", "[-1, 2]");
        rejects(IllegalArgumentException.class, () -> Tensor.fromArray(new float[5], 2, 3), "fromArray", "[2, 3]", "5");
        rejects(IllegalArgumentException.class, () -> Tensor.fromArray(new float[0], 0, -1), "fromArray", "[0, -1]");
        rejects(IllegalArgumentException.class, () -> TensorData.wrapLongs(new long[2], 3), "wrapLongs", "[3]");
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536), "zeros", "[65536, 65536]");
        rejects(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0), "arange", "0");
        rejects(IllegalArgumentException.class, () -> Tensor.arange(0, Float.POSITIVE_INFINITY, 1), "arange", "Infinity");
        rejects(IllegalArgumentException.class, () -> Tensor.arange(0, Float.NaN, 1), "arange", "NaN");
        rejects(IllegalArgumentException.class, () -> Tensor.arange(0, 1e10f, 1), "arange", "too many");
        rejects(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -2), "linspace", "-2");
        Generator g = new Generator(1);
        rejects(IllegalArgumentException.class, () -> Tensor.rand(g, 2, -2), "uniform", "[2, -2]");
        rejects(IllegalArgumentException.class, () -> Tensor.uniform(g, 1, 0, 2), "uniform", "1.0", "0.0");
        rejects(IllegalArgumentException.class, () -> Tensor.normal(g, 0, -1, 2), "normal", "-1");
        rejects(IllegalArgumentException.class, () -> Tensor.randn(g, -2), "normal", "[-2]");
        rejects(IllegalArgumentException.class, () -> Tensor.randint(g, 5, 2, 3), "randint", "5", "2");
        rejects(IllegalArgumentException.class, () -> Tensor.randperm(g, -1), "randperm", "-1");
        rejects(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}), "of", "row 1");
    }

    @Test
    void metadataAndElementAccess() {
        Tensor x = Tensor.zeros(2, 3);
        rejects(IndexOutOfBoundsException.class, () -> x.get(2, 0), "get", "[2, 3]", "index 2");
        rejects(IllegalArgumentException.class, () -> x.get(1), "get", "[2, 3]");
        rejects(IndexOutOfBoundsException.class, () -> Tensor.ofLongs(1).getLong(1), "getLong", "[1]");
        rejects(IndexOutOfBoundsException.class, () -> x.size(2), "size", "rank 2");
        rejects(IllegalStateException.class, x::item, "item", "[2, 3]");
        rejects(IllegalStateException.class, x::longStorage, "longStorage", "float32");
        rejects(IllegalArgumentException.class, () -> x.setGrad(Tensor.zeros(3)), "setGrad", "[3]", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.asStrided(new int[] {2}, new int[] {1, 1}, 0), "asStrided", "[2]", "[1, 1]");
        rejects(IndexOutOfBoundsException.class, () -> x.asStrided(new int[] {7}, new int[] {1}, 0), "asStrided", "[7]");
    }

    @Test
    void views() {
        Tensor x = Tensor.zeros(2, 3);
        rejects(IllegalArgumentException.class, () -> x.view(4, 2), "view", "[4, 2]", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.t().view(6), "view", "[3, 2]", "strides");
        rejects(IllegalArgumentException.class, () -> x.view(-1, -1), "view", "[-1, -1]");
        rejects(IllegalArgumentException.class, () -> x.reshape(4, -1), "reshape", "[4, -1]", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.reshape(0, -1), "reshape", "[0, -1]", "[2, 3]");
        rejects(IndexOutOfBoundsException.class, () -> x.transpose(0, 2), "transpose", "rank 2");
        rejects(IllegalArgumentException.class, () -> x.permute(0), "permute", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.permute(0, 0), "permute", "[0, 0]");
        rejects(IndexOutOfBoundsException.class, () -> x.narrow(1, 2, 2), "narrow", "[2, 3]", "length 2");
        rejects(IndexOutOfBoundsException.class, () -> x.narrow(1, 0, -1), "narrow", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.slice(1, 0, 3, 0), "slice", "step");
        rejects(IndexOutOfBoundsException.class, () -> x.select(0, -3), "select", "[2, 3]", "-3");
        rejects(IllegalArgumentException.class, () -> x.expand(3), "expand", "[3]", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.expand(4, 3), "expand", "[4, 3]", "[2, 3]");
        rejects(IndexOutOfBoundsException.class, () -> x.squeeze(2), "squeeze", "rank 2");
        rejects(IndexOutOfBoundsException.class, () -> x.unsqueeze(3), "unsqueeze", "rank 2");
        rejects(IllegalArgumentException.class, () -> x.flatten(1, 0), "flatten", "1", "0");
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(1, 2, 3).t(), "t", "[1, 2, 3]");
    }

    @Test
    void elementwise() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(2);
        rejects(IllegalArgumentException.class, () -> a.add(b), "add", "[2, 3]", "[2]");
        rejects(IllegalArgumentException.class, () -> a.mul(b), "mul", "[2, 3]", "[2]");
        rejects(IllegalArgumentException.class, () -> a.pow(b), "pow", "[2, 3]", "[2]");
        rejects(IllegalArgumentException.class, () -> a.ge(b), "ge", "[2, 3]", "[2]");
        rejects(IllegalArgumentException.class, () -> Tensor.where(b, a, a), "where", "[2, 3]", "[2]");
        rejects(IllegalArgumentException.class, () -> Tensor.ofLongs(1, 2).sigmoid(), "sigmoid", "int64", "[2]");
        rejects(IllegalArgumentException.class, () -> a.clamp(1, 0), "clamp", "1.0", "0.0");
    }

    @Test
    void reductions() {
        Tensor x = Tensor.zeros(2, 3);
        rejects(IndexOutOfBoundsException.class, () -> x.sum(2, true), "sum", "rank 2");
        rejects(IllegalArgumentException.class, () -> x.sum(new int[] {0, -2}, false), "sum", "[0, -2]");
        rejects(IndexOutOfBoundsException.class, () -> x.mean(-3, false), "mean", "rank 2");
        rejects(IllegalArgumentException.class, () -> Tensor.ofLongs(1, 2).mean(), "mean", "int64");
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(0, 2).mean(0, false), "mean", "[0, 2]");
        rejects(IndexOutOfBoundsException.class, () -> x.var(new int[] {4}, 1, false), "var", "rank 2");
        rejects(IndexOutOfBoundsException.class, () -> x.max(2, false), "max", "rank 2");
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(0, 2).max(0, false), "max", "[0, 2]");
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(0).min(), "min", "[0]");
        rejects(IndexOutOfBoundsException.class, () -> x.argmax(5, false), "max", "rank 2");
        rejects(IndexOutOfBoundsException.class, () -> x.logsumexp(2, false), "logsumexp", "rank 2");
    }

    @Test
    void matmul() {
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(64, 784).matmul(Tensor.zeros(500, 784)), "matmul",
                "[64, 784] @ [500, 784]");
        rejects(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(4, 3, 2)), "matmul", "[2]", "[4]");
        rejects(IllegalArgumentException.class, () -> Tensor.scalar(1f).matmul(Tensor.zeros(1)), "matmul", "[] @ [1]");
        rejects(IllegalArgumentException.class, () -> Tensor.ofLongs(1).matmul(Tensor.zeros(1)), "matmul", "int64");
    }

    @Test
    void indexing() {
        Tensor x = Tensor.zeros(2, 3);
        rejects(IndexOutOfBoundsException.class, () -> x.gather(1, TensorData.wrapLongs(new long[] {3}, 1, 1)), "gather", "index 3", "size 3");
        rejects(IllegalArgumentException.class, () -> x.gather(1, Tensor.zerosLong(3)), "gather", "[3]", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.gather(0, Tensor.zerosLong(1, 4)), "gather", "[1, 4]", "[2, 3]");
        rejects(IndexOutOfBoundsException.class, () -> x.indexSelect(1, Tensor.ofLongs(-4)), "indexSelect", "-4", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> x.indexSelect(1, Tensor.of(1f, 2f)), "indexSelect", "float32", "[2]");
        rejects(IllegalArgumentException.class, () -> Tensor.cat(1, x, Tensor.zeros(3, 3)), "cat", "[3, 3]", "[2, 3]");
        rejects(IllegalArgumentException.class, () -> Tensor.cat(0, x, Tensor.zeros(3)), "cat", "[3]", "[2, 3]");
        rejects(IndexOutOfBoundsException.class, () -> Tensor.cat(2, x), "cat", "rank 2");
        rejects(IllegalArgumentException.class, () -> Tensor.stack(0, x, Tensor.zeros(3, 2)), "stack", "[3, 2]", "[2, 3]");
        rejects(IndexOutOfBoundsException.class, () -> Tensor.stack(4, x), "stack", "rank 2");
        rejects(IndexOutOfBoundsException.class, () -> Tensor.ofLongs(0, 3).oneHot(3), "oneHot", "3", "[0, 3)");
        rejects(IllegalArgumentException.class, () -> Tensor.ofLongs(0).oneHot(0), "oneHot", "0");
        rejects(IllegalArgumentException.class, () -> x.oneHot(3), "oneHot", "float32", "[2, 3]");
    }

    @Test
    void autograd() {
        Tensor w = Tensor.ones(3).requiresGrad(true);
        rejects(IllegalArgumentException.class, () -> w.mul(2f).backward(), "backward", "[3]", "scalar");
        rejects(IllegalArgumentException.class, () -> w.mul(2f).backward(Tensor.ones(2)), "backward", "[2]", "[3]");
        rejects(IllegalArgumentException.class, () -> w.mul(2f).backward(Tensor.ofLongs(1, 1, 1)), "backward", "int64", "[3]");
        rejects(IllegalStateException.class, () -> Tensor.ones(3).sum().backward(), "backward", "[]", "does not require grad");
        Tensor y = w.sum();
        y.backward();
        rejects(IllegalStateException.class, y::backward, "backward", "second time");
        rejects(IllegalStateException.class, () -> w.fillInPlace(1f), "fillInPlace", "leaf");
        rejects(IllegalStateException.class, () -> w.view(3, 1).t().mulInPlace(1f), "mulInPlace", "view of a leaf");
        rejects(IllegalStateException.class, () -> Tensor.ofLongs(1).requiresGrad(true), "requiresGrad", "int64");
        rejects(IllegalStateException.class, () -> Tensor.ones(1).retainGrad(), "retainGrad", "does not require grad");
        try (NoGrad g = NoGrad.enter()) {
            rejects(IllegalArgumentException.class, () -> w.copyInPlace(Tensor.ones(4)), "copyInPlace", "[4]", "[3]");
            rejects(IllegalArgumentException.class, () -> w.addInPlace(Tensor.ones(2, 3), 1f), "addInPlace", "[2, 3]", "[3]");
            rejects(IllegalStateException.class, () -> Tensor.ofLongs(1).fillInPlace(1f), "fillInPlace", "float32");
        }
    }
}
