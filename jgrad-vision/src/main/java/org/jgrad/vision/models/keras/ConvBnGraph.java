package org.jgrad.vision.models.keras;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * The Inception networks written once, as Keras writes them: a function of {@code conv2d_bn} units,
 * poolings and concatenations over values of type {@code T}. Run over channel counts
 * ({@link Builder}) it registers the layers with Keras' names; run over tensors ({@link Runner}) it
 * computes the forward pass with them. Most of these layers are unnamed in Keras, which names them
 * {@code conv2d}, {@code conv2d_1}, ... and {@code batch_normalization}, {@code batch_normalization_1},
 * ... in the order they are created (in a fresh Keras session, counting from the first); both runs
 * walk the same code, so the k-th unit built is the k-th unit run.
 *
 * @param <T> a channel count while building, a tensor while running
 */
abstract class ConvBnGraph<T> {

    /** One {@code conv2d_bn}: its convolution's and batch norm's names (null: no batch norm), and whether a ReLU follows. */
    record Unit(String conv, String bn, boolean relu) {}

    /**
     * Keras' {@code conv2d_bn}: a convolution without bias (with one when there is no batch norm),
     * a batch norm without γ, and a ReLU.
     *
     * @param name Keras' {@code name} argument (null: auto-named); the batch norm is {@code name_bn}
     * @param bn false for Inception-ResNet's block output convolutions, which have a bias instead
     */
    abstract T convBn(T x, int filters, int kh, int kw, int stride, boolean same, String name, boolean bn, boolean relu);

    /** {@code conv2d_bn} with Keras' defaults: auto-named, batch norm, ReLU. */
    final T convBn(T x, int filters, int kh, int kw, int stride, boolean same) {
        return convBn(x, filters, kh, kw, stride, same, null, true, true);
    }

    /** {@code conv2d_bn} with a square kernel, "same", stride 1. */
    final T convBn(T x, int filters, int k) {
        return convBn(x, filters, k, k, 1, true);
    }

    /** {@code MaxPooling2D(3, strides=2)}, "valid". */
    abstract T maxPool(T x);

    /** {@code AveragePooling2D(3, strides=1, padding="same")}: TensorFlow leaves the padding out of the mean. */
    abstract T avgPoolSame(T x);

    /** {@code Concatenate} on the channels. */
    abstract T concat(List<T> xs);

    /** Inception-ResNet's {@code CustomScaleLayer}, {@code x + scale·up}, then a ReLU when {@code relu}. */
    abstract T scaledAdd(T x, T up, double scale, boolean relu);

    /** The channels of {@code x}. */
    abstract int channels(T x);

    /** Registers the layers into a model, tracking channel counts; the units it makes are what {@link Runner} runs. */
    static final class Builder extends ConvBnGraph<Integer> {
        private final KerasModel model;
        private final List<Unit> units = new ArrayList<>();
        private int autoConv, autoBn;

        Builder(KerasModel model) {
            this.model = model;
        }

        List<Unit> units() {
            return List.copyOf(units);
        }

        @Override
        Integer convBn(Integer x, int filters, int kh, int kw, int stride, boolean same, String name, boolean bn, boolean relu) {
            String conv = name != null ? name : auto("conv2d", autoConv++);
            String norm = !bn ? null : name != null ? name + "_bn" : auto("batch_normalization", autoBn++);
            model.conv(conv, x, filters, kh, kw, stride, same, !bn);
            if (bn) model.bn(norm, filters, KerasModel.EPS, KerasModel.MOMENTUM, false);
            units.add(new Unit(conv, norm, relu));
            return filters;
        }

        private static String auto(String base, int k) {
            return k == 0 ? base : base + "_" + k;
        }

        @Override
        Integer maxPool(Integer x) {
            return x;
        }

        @Override
        Integer avgPoolSame(Integer x) {
            return x;
        }

        @Override
        Integer concat(List<Integer> xs) {
            return xs.stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        Integer scaledAdd(Integer x, Integer up, double scale, boolean relu) {
            return x;
        }

        @Override
        int channels(Integer x) {
            return x;
        }
    }

    /** One forward pass: takes the built units in order. */
    static final class Runner extends ConvBnGraph<Tensor> {
        private static final Pool2dOptions AVG_SAME = Pool2dOptions.of(3).stride(1).padding(1).countIncludePad(false);
        private final KerasModel model;
        private final List<Unit> units;
        private int next;

        Runner(KerasModel model, List<Unit> units) {
            this.model = model;
            this.units = units;
        }

        @Override
        Tensor convBn(Tensor x, int filters, int kh, int kw, int stride, boolean same, String name, boolean bn, boolean relu) {
            Unit u = units.get(next++);
            Tensor h = model.layer(u.conv(), x);
            if (u.bn() != null) h = model.layer(u.bn(), h);
            return u.relu() ? F.relu(h) : h;
        }

        @Override
        Tensor maxPool(Tensor x) {
            return F.maxPool2d(x, 3, 2, 0);
        }

        @Override
        Tensor avgPoolSame(Tensor x) {
            return F.avgPool2d(x, AVG_SAME);
        }

        @Override
        Tensor concat(List<Tensor> xs) {
            return Tensor.cat(1, xs.toArray(Tensor[]::new));
        }

        @Override
        Tensor scaledAdd(Tensor x, Tensor up, double scale, boolean relu) {
            Tensor y = x.add(up, (float) scale);
            return relu ? F.relu(y) : y;
        }

        @Override
        int channels(Tensor x) {
            return x.size(1);
        }
    }
}
