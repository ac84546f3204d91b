package org.jgrad.nn.init;

import java.util.Locale;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Weight initializers with the formulas of {@code torch.nn.init}. Each fills its tensor in place
 * (without recording a graph, so parameters can be re-initialized) and returns it.
 *
 * <pre>{@code
 * Init.kaimingUniform(linear.weight(), Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", gen);
 * }</pre>
 */
public final class Init {
    private Init() {}

    /** Which fan scales the variance in Kaiming initialization. */
    public enum FanMode {
        /** Preserve the variance of activations in the forward pass. */
        FAN_IN,
        /** Preserve the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /**
     * Fan-in and fan-out of a weight tensor.
     *
     * @param fanIn  inputs per output unit (times the receptive field)
     * @param fanOut outputs per input unit (times the receptive field)
     */
    public record Fans(int fanIn, int fanOut) {}

    /**
     * PyTorch's {@code _calculate_fan_in_and_fan_out}: dim 1 is the input, dim 0 the output, and the
     * trailing dims (a convolution's kernel) multiply both.
     */
    public static Fans calculateFanInAndFanOut(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2)
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
                    + " (shape " + org.jgrad.tensor.Shape.str(s) + ")");
        int receptive = 1;
        for (int i = 2; i < s.length; i++) receptive *= s[i];
        return new Fans(s[1] * receptive, s[0] * receptive);
    }

    /**
     * The recommended gain for a nonlinearity ({@code torch.nn.init.calculate_gain}): 1 for linear,
     * conv and sigmoid, 5/3 for tanh, √2 for relu, √(2/(1+a²)) for leaky_relu (a defaults to 0.01),
     * 3/4 for selu.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        String n = nonlinearity.toLowerCase(Locale.ROOT);
        switch (n) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                 "sigmoid" -> { return 1.0; }
            case "tanh" -> { return 5.0 / 3; }
            case "relu" -> { return Math.sqrt(2.0); }
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> { return 3.0 / 4; }
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity " + nonlinearity);
        }
    }

    /** {@link #calculateGain(String, Double)} without a parameter. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    private static Tensor fill(Tensor t, Tensor values) {
        if (t.dtype() != DType.FLOAT32)
            throw new IllegalArgumentException("init: expected a float32 tensor, got " + t.dtype().pyName());
        try (NoGrad g = NoGrad.enter()) {
            return t.copyInPlace(values);
        }
    }

    /** Fills with U(low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Generator gen) {
        if (!(low <= high)) throw new IllegalArgumentException("uniform: low " + low + " is greater than high " + high);
        return fill(t, Tensor.uniform(gen, (float) low, (float) high, t.shape()));
    }

    /** Fills with N(mean, std²). */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be non-negative, got " + std);
        return fill(t, Tensor.normal(gen, (float) mean, (float) std, t.shape()));
    }

    /** Fills with {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (NoGrad g = NoGrad.enter()) {
            return t.fillInPlace((float) value);
        }
    }

    /** Fills with zeros. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    /** Fills with ones. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** Glorot uniform: U(−b, b) with b = gain·√(6/(fan_in+fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(t);
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, gen);
    }

    /** Glorot normal: N(0, std²) with std = gain·√(2/(fan_in+fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), gen);
    }

    private static int fan(Tensor t, FanMode mode) {
        Fans f = calculateFanInAndFanOut(t);
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    /**
     * He uniform: U(−b, b) with b = gain·√(3/fan), gain = {@code calculateGain(nonlinearity, a)}.
     * PyTorch's defaults are {@code a = 0, FAN_IN, "leaky_relu"}.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        int fan = fan(t, mode);
        if (fan == 0) return t; // PyTorch warns and leaves a zero-element tensor alone
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan);
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, gen);
    }

    /** He normal: N(0, std²) with std = gain/√fan. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        int fan = fan(t, mode);
        if (fan == 0) return t;
        return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan), gen);
    }
}
