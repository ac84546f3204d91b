package org.jgrad.vision.filters;

import java.util.List;
import java.util.Locale;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A named filter parsed from a short text spec, ready to apply to an image.
 *
 * <p>Specs (parameters after colons; defaults in brackets):
 * <ul>
 *   <li>{@code mean[:n=3]}, {@code box[:n=3]} — n×n average</li>
 *   <li>{@code gaussian[:sigma=1[:size]]} — normalised Gaussian, size 2⌈3σ⌉+1 unless given</li>
 *   <li>{@code gaussian5x5} — the lectures' 5×5 Gaussian, the 1/273 table</li>
 *   <li>{@code sobel}, {@code prewitt} — gradient magnitude; {@code sobel-x}, {@code sobel-y},
 *       {@code prewitt-x}, {@code prewitt-y} — one derivative</li>
 *   <li>{@code laplacian}, {@code laplacian8}, {@code sharpen}, {@code emboss}</li>
 *   <li>{@code random-uniform[:n=5[:seed=0]]} — Example 2.4; {@code random-normal[:n=5[:mean=2[:std=0[:seed=0]]]]}
 *       — Example 2.5 (the slide's mean 2, std 0)</li>
 * </ul>
 *
 * @param name the spec as given
 * @param kernels one kernel, or the x and y derivatives for a magnitude filter
 * @param output how the response maps to displayable pixels
 */
public record FilterSpec(String name, List<Tensor> kernels, Output output) {

    /** How a filter's response becomes an 8-bit image. */
    public enum Output {
        /** Smoothing-like filters keep the image's range: clamp to [0, 1]. */
        CLAMP,
        /** Derivative filters have signed responses of any size: take |response| and scale its maximum to white. */
        ABS_SCALED
    }

    /** The spec names {@link #parse} knows, for help texts and error messages. */
    public static final List<String> NAMES = List.of("mean", "box", "gaussian", "gaussian5x5", "sobel", "sobel-x",
            "sobel-y", "prewitt", "prewitt-x", "prewitt-y", "laplacian", "laplacian8", "sharpen", "emboss",
            "random-uniform", "random-normal");

    /** Whether the filter combines two derivative responses into a gradient magnitude. */
    public boolean isMagnitude() {
        return kernels.size() == 2;
    }

    /** Applies the filter with the given stride (see {@link Filters#filter2d}); magnitude filters combine both responses. */
    public Tensor apply(Tensor image, int stride) {
        Tensor a = Filters.filter2d(image, kernels.get(0), stride);
        return isMagnitude() ? Filters.magnitude(a, Filters.filter2d(image, kernels.get(1), stride)) : a;
    }

    /**
     * Parses a spec such as {@code "sobel"}, {@code "gaussian:1.5"}, {@code "gaussian:1.5:7"} or
     * {@code "mean:5"}.
     *
     * @throws IllegalArgumentException naming the spec and the known names when it is not understood
     */
    public static FilterSpec parse(String spec) {
        if (spec == null || spec.isBlank())
            throw new IllegalArgumentException("filter spec is empty; expected one of " + NAMES);
        String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        String name = p[0];
        try {
            return switch (name) {
                case "mean", "box" -> one(spec, p, 2, FilterKernels.box(intArg(p, 1, 3)), Output.CLAMP);
                case "gaussian", "gauss" -> {
                    double sigma = doubleArg(p, 1, 1.0);
                    Tensor k = p.length > 2 ? FilterKernels.gaussian(sigma, intArg(p, 2, 0)) : FilterKernels.gaussian(sigma);
                    yield one(spec, p, 3, k, Output.CLAMP);
                }
                case "gaussian5x5" -> one(spec, p, 1, FilterKernels.gaussian5x5Table(), Output.CLAMP);
                case "sobel" -> two(spec, p, FilterKernels.sobelX(), FilterKernels.sobelY());
                case "prewitt" -> two(spec, p, FilterKernels.prewittX(), FilterKernels.prewittY());
                case "sobel-x" -> one(spec, p, 1, FilterKernels.sobelX(), Output.ABS_SCALED);
                case "sobel-y" -> one(spec, p, 1, FilterKernels.sobelY(), Output.ABS_SCALED);
                case "prewitt-x" -> one(spec, p, 1, FilterKernels.prewittX(), Output.ABS_SCALED);
                case "prewitt-y" -> one(spec, p, 1, FilterKernels.prewittY(), Output.ABS_SCALED);
                case "laplacian" -> one(spec, p, 1, FilterKernels.laplacian(), Output.ABS_SCALED);
                case "laplacian8" -> one(spec, p, 1, FilterKernels.laplacian8(), Output.ABS_SCALED);
                case "emboss" -> one(spec, p, 1, FilterKernels.emboss(), Output.ABS_SCALED);
                case "sharpen" -> one(spec, p, 1, FilterKernels.sharpen(), Output.CLAMP);
                case "random-uniform" -> one(spec, p, 3,
                        FilterKernels.randomUniform(intArg(p, 1, 5), new Generator(longArg(p, 2, 0))), Output.CLAMP);
                case "random-normal" -> one(spec, p, 5, FilterKernels.randomNormal(intArg(p, 1, 5), doubleArg(p, 2, 2.0),
                        doubleArg(p, 3, 0.0), new Generator(longArg(p, 4, 0))), Output.CLAMP);
                default -> throw new IllegalArgumentException("unknown filter '" + p[0] + "' in spec '" + spec
                        + "'; expected one of " + NAMES);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("filter spec '" + spec + "': bad number (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains(spec)) throw e;
            throw new IllegalArgumentException("filter spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static FilterSpec one(String spec, String[] p, int maxParts, Tensor k, Output out) {
        tooMany(spec, p, maxParts);
        return new FilterSpec(spec, List.of(k), out);
    }

    private static FilterSpec two(String spec, String[] p, Tensor kx, Tensor ky) {
        tooMany(spec, p, 1);
        return new FilterSpec(spec, List.of(kx, ky), Output.ABS_SCALED);
    }

    private static void tooMany(String spec, String[] p, int maxParts) {
        if (p.length > maxParts)
            throw new IllegalArgumentException("filter spec '" + spec + "': '" + p[0] + "' takes at most "
                    + (maxParts - 1) + " parameter(s), got " + (p.length - 1));
    }

    private static int intArg(String[] p, int i, int def) {
        return i < p.length && !p[i].isEmpty() ? Integer.parseInt(p[i]) : def;
    }

    private static long longArg(String[] p, int i, long def) {
        return i < p.length && !p[i].isEmpty() ? Long.parseLong(p[i]) : def;
    }

    private static double doubleArg(String[] p, int i, double def) {
        return i < p.length && !p[i].isEmpty() ? Double.parseDouble(p[i]) : def;
    }
}
