package org.jgrad.spark;

import java.util.List;
import org.jgrad.nn.loss.BCEWithLogitsLoss;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.nn.loss.HuberLoss;
import org.jgrad.nn.loss.L1Loss;
import org.jgrad.nn.loss.Loss;
import org.jgrad.nn.loss.MSELoss;
import org.jgrad.nn.loss.NLLLoss;
import org.jgrad.nn.loss.SmoothL1Loss;

/**
 * The loss every task builds, by name (PyTorch's snake case): {@code cross_entropy}, {@code nll},
 * {@code mse}, {@code l1}, {@code smooth_l1}, {@code huber}, {@code bce_with_logits}. All use the
 * mean over the batch, which is what makes W workers × batch B the same step as one machine with
 * batch W·B.
 */
public final class LossSpec {
    /** The names {@link #of} accepts. */
    public static final List<String> NAMES = List.of("cross_entropy", "nll", "mse", "l1", "smooth_l1", "huber", "bce_with_logits");

    private final String name;

    private LossSpec(String name) {
        this.name = name;
    }

    /** The loss named {@code name}; an unknown name fails listing the known ones. */
    public static LossSpec of(String name) {
        if (!NAMES.contains(name))
            throw new IllegalArgumentException("LossSpec: unknown loss '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        return new LossSpec(name);
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** A new loss object. */
    public Loss create() {
        return switch (name) {
            case "cross_entropy" -> new CrossEntropyLoss();
            case "nll" -> new NLLLoss();
            case "mse" -> new MSELoss();
            case "l1" -> new L1Loss();
            case "smooth_l1" -> new SmoothL1Loss();
            case "huber" -> new HuberLoss();
            case "bce_with_logits" -> new BCEWithLogitsLoss();
            default -> throw new IllegalStateException(name);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
