package org.jgrad.vision.models.keras;

import java.util.HashMap;
import java.util.Map;
import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * Keras' NASNet-A ({@code keras.applications.NASNetMobile}, {@code NASNetLarge}): a 3×3/2 stem
 * convolution ({@code stem_conv1}, {@code stem_bn1}), two reduction cells ({@code stem_1},
 * {@code stem_2}), then three stacks of normal cells separated by reduction cells
 * ({@code reduce_N}), a ReLU, global average pooling and {@code predictions}. A cell takes two
 * inputs, the previous cell's output and the one before it ({@code p}); it first brings {@code p} to
 * its own size and width ({@code adjust_*}: a factorized reduction, two strided 1×1 convolutions on
 * offset grids, when {@code p} is larger; a 1×1 projection when only the width differs), then sums
 * pairs of operations (separable convolutions applied twice, {@code separable_conv_1/2_*}; 3×3
 * average and max poolings; identities) and concatenates the sums. Batch norms use epsilon 1e-3 and
 * momentum 0.9997; plain convolutions are {@code he_normal}, without bias.
 *
 * <p>The cells are Java methods of two inputs returning the pair (output, this cell's input), as
 * Keras' {@code _normal_a_cell} and {@code _reduction_a_cell} return {@code (x, ip)}. Keras decides
 * each {@code adjust} block from the static shapes of the model it builds; here the constructor
 * decides them from the number of stride-2 steps each input has been through, which gives the same
 * blocks for every input of at least 32×32. See {@link KerasModel} for names, layouts and initialization.
 */
public class KerasNASNet extends KerasModel {
    private static final double BN_MOMENTUM = 0.9997;
    private static final Pool2dOptions AVG_SAME = Pool2dOptions.of(3).stride(1).padding(1).countIncludePad(false);
    private static final ZeroPad2d SHIFT = new ZeroPad2d(-1, 1, -1, 1);

    /** What a cell does to its second input first. */
    private enum Adjust { NONE, REDUCE, PROJECT }

    /** A value while building: its channels and how many times it has been halved. */
    private record Shape(int channels, int level) {}

    /** The two inputs of the next cell, or of {@link #forward}'s next step. */
    private record Pair<T>(T x, T p) {}

    private final int numBlocks;
    private final boolean skipReduction;
    private final int filters;
    private final Map<String, Adjust> adjust = new HashMap<>();

    /**
     * @param penultimateFilters channels before the classifier (NASNetMobile 1056, NASNetLarge 4032)
     * @param numBlocks normal cells per stack (4, 6)
     * @param stemFilters the stem convolution's filters (32, 96)
     * @param skipReduction whether a cell after a reduction cell takes as {@code p} the reduction cell's
     *     second input rather than its first (false for NASNetMobile, true for NASNetLarge)
     */
    public KerasNASNet(int penultimateFilters, int numBlocks, int stemFilters, boolean skipReduction, int numClasses,
            int inChannels) {
        checkSizes("KerasNASNet", numClasses, inChannels);
        if (penultimateFilters <= 0 || penultimateFilters % 96 != 0 || numBlocks < 1 || stemFilters < 1)
            throw new IllegalArgumentException("KerasNASNet: penultimate_filters must be a positive multiple of 96 and "
                    + "num_blocks, stem filters positive, got " + penultimateFilters + ", " + numBlocks + ", " + stemFilters);
        this.numBlocks = numBlocks;
        this.skipReduction = skipReduction;
        this.filters = penultimateFilters / 24;
        heConv("stem_conv1", inChannels, stemFilters, 3, 2);
        bn("stem_bn1", stemFilters, EPS, BN_MOMENTUM, true);
        Pair<Shape> s = new Pair<>(new Shape(stemFilters, 1), null);
        s = buildReduction(s, filters / 4, "stem_1");
        s = buildReduction(s, filters / 2, "stem_2");
        for (int stack = 0; stack < 3; stack++) {
            int f = filters << stack;
            if (stack > 0) {
                Pair<Shape> r = buildReduction(s, f, "reduce_" + stack * numBlocks);
                s = skipReduction ? new Pair<>(r.x(), s.p()) : r;
            }
            for (int i = 0; i < numBlocks; i++) s = buildNormal(s, f, String.valueOf(stack * numBlocks + i + (stack > 0 ? 1 : 0)));
        }
        dense("predictions", s.x().channels(), numClasses);
    }

    private void heConv(String name, int in, int out, int k, int stride) {
        KerasInit.heNormal(conv(name, in, out, k, stride, false, false).weight(), (long) k * k * in);
    }

    // ------------------------------------------------------------------ building

    private Shape buildAdjust(Shape p, Shape ip, int f, String id) {
        if (p == null) {
            adjust.put(id, Adjust.NONE);
            return ip;
        }
        if (p.level() != ip.level()) {
            adjust.put(id, Adjust.REDUCE);
            heConv("adjust_conv_1_" + id, p.channels(), f / 2, 1, 1);
            heConv("adjust_conv_2_" + id, p.channels(), f / 2, 1, 1);
            bn("adjust_bn_" + id, f, EPS, BN_MOMENTUM, true);
            return new Shape(f, ip.level());
        }
        if (p.channels() != f) {
            adjust.put(id, Adjust.PROJECT);
            heConv("adjust_conv_projection_" + id, p.channels(), f, 1, 1);
            bn("adjust_bn_" + id, f, EPS, BN_MOMENTUM, true);
            return new Shape(f, ip.level());
        }
        adjust.put(id, Adjust.NONE);
        return p;
    }

    // Keras pads in front of a stride-2 separable convolution (correct_pad, then "valid"): for odd kernels that
    // is TensorFlow's "same", which the layer applies per input size itself
    private void buildSep(int in, int f, int k, int stride, String id) {
        separable("separable_conv_1_" + id, in, f, k, stride, true);
        bn("separable_conv_1_bn_" + id, f, EPS, BN_MOMENTUM, true);
        separable("separable_conv_2_" + id, f, f, k, 1, true);
        bn("separable_conv_2_bn_" + id, f, EPS, BN_MOMENTUM, true);
    }

    private Pair<Shape> buildNormal(Pair<Shape> in, int f, String id) {
        Shape ip = in.x(), p = buildAdjust(in.p(), ip, f, id);
        heConv("normal_conv_1_" + id, ip.channels(), f, 1, 1);
        bn("normal_bn_1_" + id, f, EPS, BN_MOMENTUM, true);
        buildSep(f, f, 5, 1, "normal_left1_" + id);
        buildSep(p.channels(), f, 3, 1, "normal_right1_" + id);
        buildSep(p.channels(), f, 5, 1, "normal_left2_" + id);
        buildSep(p.channels(), f, 3, 1, "normal_right2_" + id);
        buildSep(f, f, 3, 1, "normal_left5_" + id);
        return new Pair<>(new Shape(p.channels() + 5 * f, ip.level()), ip);
    }

    private Pair<Shape> buildReduction(Pair<Shape> in, int f, String id) {
        Shape ip = in.x(), p = buildAdjust(in.p(), ip, f, id);
        heConv("reduction_conv_1_" + id, ip.channels(), f, 1, 1);
        bn("reduction_bn_1_" + id, f, EPS, BN_MOMENTUM, true);
        buildSep(f, f, 5, 2, "reduction_left1_" + id);
        buildSep(p.channels(), f, 7, 2, "reduction_right1_" + id);
        buildSep(p.channels(), f, 7, 2, "reduction_right2_" + id);
        buildSep(p.channels(), f, 5, 2, "reduction_right3_" + id);
        buildSep(f, f, 3, 1, "reduction_left4_" + id);
        return new Pair<>(new Shape(4 * f, ip.level() + 1), ip);
    }

    // ------------------------------------------------------------------ running

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = layer("stem_bn1", layer("stem_conv1", input));
        Pair<Tensor> s = new Pair<>(x, null);
        s = reduction(s, "stem_1");
        s = reduction(s, "stem_2");
        for (int stack = 0; stack < 3; stack++) {
            if (stack > 0) {
                Pair<Tensor> r = reduction(s, "reduce_" + stack * numBlocks);
                s = skipReduction ? new Pair<>(r.x(), s.p()) : r;
            }
            for (int i = 0; i < numBlocks; i++) s = normal(s, String.valueOf(stack * numBlocks + i + (stack > 0 ? 1 : 0)));
        }
        return layer("predictions", globalAvgPool(relu(s.x())));
    }

    private Tensor adjust(Tensor p, Tensor ip, String id) {
        return switch (adjust.get(id)) {
            case NONE -> p == null ? ip : p;
            case REDUCE -> {
                Tensor r = relu(p);
                // AveragePooling2D((1, 1), strides=2) keeps every other row and column; the second path
                // first shifts the grid by one (ZeroPadding2D at the bottom/right, Cropping2D at the top/left)
                Tensor p1 = layer("adjust_conv_1_" + id, F.maxPool2d(r, 1, 2, 0));
                Tensor p2 = layer("adjust_conv_2_" + id, F.maxPool2d(SHIFT.forward(r), 1, 2, 0));
                yield layer("adjust_bn_" + id, Tensor.cat(1, p1, p2));
            }
            case PROJECT -> layer("adjust_bn_" + id, layer("adjust_conv_projection_" + id, relu(p)));
        };
    }

    private Tensor sep(Tensor x, String id) {
        Tensor h = layer("separable_conv_1_bn_" + id, layer("separable_conv_1_" + id, relu(x)));
        return layer("separable_conv_2_bn_" + id, layer("separable_conv_2_" + id, relu(h)));
    }

    private Pair<Tensor> normal(Pair<Tensor> in, String id) {
        Tensor ip = in.x(), p = adjust(in.p(), ip, id);
        Tensor h = layer("normal_bn_1_" + id, layer("normal_conv_1_" + id, relu(ip)));
        Tensor x1 = sep(h, "normal_left1_" + id).add(sep(p, "normal_right1_" + id));
        Tensor x2 = sep(p, "normal_left2_" + id).add(sep(p, "normal_right2_" + id));
        Tensor x3 = F.avgPool2d(h, AVG_SAME).add(p);
        Tensor pooled = F.avgPool2d(p, AVG_SAME);
        Tensor x4 = pooled.add(pooled); // normal_left4 and normal_right4 are the same pooling of p
        Tensor x5 = sep(h, "normal_left5_" + id).add(h);
        return new Pair<>(Tensor.cat(1, p, x1, x2, x3, x4, x5), ip);
    }

    private Pair<Tensor> reduction(Pair<Tensor> in, String id) {
        Tensor ip = in.x(), p = adjust(in.p(), ip, id);
        Tensor h = layer("reduction_bn_1_" + id, layer("reduction_conv_1_" + id, relu(ip)));
        Tensor h3 = TfPadding.zeroSame(h, 3, 2); // reduction_pad_1
        Tensor x1 = sep(h, "reduction_left1_" + id).add(sep(p, "reduction_right1_" + id));
        Tensor maxPooled = F.maxPool2d(h3, 3, 2, 0);
        Tensor x2 = maxPooled.add(sep(p, "reduction_right2_" + id));
        Tensor x3 = F.avgPool2d(h3, 3, 2, 0).add(sep(p, "reduction_right3_" + id));
        Tensor x4 = F.avgPool2d(x1, AVG_SAME).add(x2);
        Tensor x5 = sep(x1, "reduction_left4_" + id).add(maxPooled); // reduction_right5 is the same pooling
        return new Pair<>(Tensor.cat(1, x2, x3, x4, x5), ip);
    }
}
