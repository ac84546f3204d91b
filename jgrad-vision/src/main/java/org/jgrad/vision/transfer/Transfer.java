package org.jgrad.vision.transfer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.AdaptiveMaxPool2d;
import org.jgrad.nn.AvgPool2d;
import org.jgrad.nn.BatchNorm;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.Models;
import org.jgrad.vision.models.ResNet;

/**
 * Transfer learning as the lectures describe it: keep a pretrained model's feature learning and
 * train only a new classifier ("keep the feature learning"), or fine-tune its last blocks too
 * ("train partially the feature learning").
 *
 * <pre>{@code
 * Module net = Models.resnet18(1000);              // load pretrained weights into it
 * Models.replaceHead(net, 10);                      // a fresh fc for the new classes
 * Transfer.trainPartially(net, 2, Transfer.BatchNormStats.FREEZE); // freeze all but layer4.0, layer4.1 and fc;
 *                                                   // frozen batch norms keep their statistics
 * optimizer = new SGD(Transfer.trainableParameters(net), ...);
 * Transfer.train(net);                              // train mode, frozen batch norms stay in eval
 * }</pre>
 *
 * The head is what {@link Models#headPath} finds ({@code fc}, {@code classifier.6}, the last Linear);
 * everything else is the backbone.
 */
public final class Transfer {
    private Transfer() {}

    // Batch norms frozen with their statistics; weak, so that dropped models are not kept alive.
    private static final Set<Module> FROZEN_NORMS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** What frozen batch-norm layers do with their running statistics. */
    public enum BatchNormStats {
        /** They keep updating the statistics in training (their weight and bias are frozen all the same). */
        UPDATE,
        /**
         * They switch to evaluation mode and stay there through {@link #train(Module)}, so the pretrained
         * statistics are used and kept: usually right when the new dataset is small.
         */
        FREEZE
    }

    /** Stops gradients for every parameter of {@code m} (batch norms still update their statistics in training). */
    public static Module freeze(Module m) {
        return freeze(m, BatchNormStats.UPDATE);
    }

    /** Stops gradients for every parameter of {@code m}; its batch norms' statistics as {@code stats} says. */
    public static Module freeze(Module m, BatchNormStats stats) {
        m.requiresGrad(false);
        if (stats == BatchNormStats.FREEZE)
            for (Module x : m.modules())
                if (isNorm(x)) {
                    x.eval();
                    FROZEN_NORMS.add(x);
                }
        return m;
    }

    /** Lets every parameter of {@code m} train again, and releases its frozen batch norms. */
    public static Module unfreeze(Module m) {
        m.requiresGrad(true);
        for (Module x : m.modules()) FROZEN_NORMS.remove(x);
        return m;
    }

    /** {@code model.train()}, except that batch norms frozen by {@link #freeze(Module, BatchNormStats)} stay in eval mode. */
    public static Module train(Module model) {
        model.train();
        for (Module x : model.modules()) if (FROZEN_NORMS.contains(x)) x.eval();
        return model;
    }

    /** Freezes everything but the head: "keep the feature learning" (batch-norm statistics keep updating). */
    public static Module freezeBackbone(Module model) {
        return trainPartially(model, 0, BatchNormStats.UPDATE);
    }

    /** Freezes everything but the head, the backbone's batch-norm statistics as {@code stats} says. */
    public static Module freezeBackbone(Module model, BatchNormStats stats) {
        return trainPartially(model, 0, stats);
    }

    /** {@link #trainPartially(Module, int, BatchNormStats)} with batch-norm statistics updating. */
    public static Module trainPartially(Module model, int k) {
        return trainPartially(model, k, BatchNormStats.UPDATE);
    }

    /**
     * "Train partially the feature learning": freezes the backbone, then lets the last {@code k}
     * of its {@link #blocks} and the head train.
     *
     * @throws IllegalArgumentException when k is negative or larger than the number of blocks
     */
    public static Module trainPartially(Module model, int k, BatchNormStats stats) {
        List<Block> blocks = blocks(model);
        if (k < 0 || k > blocks.size())
            throw new IllegalArgumentException("Transfer.trainPartially: k must be in [0, " + blocks.size() + "] for "
                    + model.name() + ", got " + k);
        freeze(model, stats);
        for (Block b : blocks.subList(blocks.size() - k, blocks.size())) for (Module m : b.modules()) unfreeze(m);
        unfreeze(head(model));
        if (model.isTraining()) train(model);
        return model;
    }

    /**
     * The backbone's blocks in forward order (the head excluded): for a ResNet the stem
     * ({@code conv1}, {@code bn1}) and each residual block; for models with a {@code features}
     * container (VGG, AlexNet, LeNet-5) each stage of it up to and including a pooling layer, then
     * the classifier's hidden layers; otherwise each top-level layer (or container child) that has
     * parameters.
     */
    public static List<Block> blocks(Module model) {
        Module head = head(model);
        List<Block> out = new ArrayList<>();
        if (model instanceof ResNet) {
            out.add(new Block("stem", List.of(model.child("conv1"), model.child("bn1"))));
            for (int s = 1; s <= 4; s++)
                for (Map.Entry<String, Module> e : model.child("layer" + s).namedChildren().entrySet())
                    out.add(new Block("layer" + s + "." + e.getKey(), List.of(e.getValue())));
            return out;
        }
        for (Map.Entry<String, Module> e : model.namedChildren().entrySet()) {
            String name = e.getKey();
            Module c = e.getValue();
            if (c == head || c.parameters().isEmpty()) continue;
            if (name.equals("features")) out.addAll(stages(name, c));
            else if (!c.children().isEmpty()) {
                for (Map.Entry<String, Module> g : c.namedChildren().entrySet())
                    if (g.getValue() != head && !g.getValue().parameters().isEmpty())
                        out.add(new Block(name + "." + g.getKey(), List.of(g.getValue())));
            } else out.add(new Block(name, List.of(c)));
        }
        return out;
    }

    /** A feature extractor's children cut after each pooling layer. */
    private static List<Block> stages(String name, Module features) {
        List<Block> out = new ArrayList<>();
        List<Module> cur = new ArrayList<>();
        List<Module> kids = features.children();
        int start = 0;
        for (int i = 0; i < kids.size(); i++) {
            cur.add(kids.get(i));
            if (isPool(kids.get(i)) || i == kids.size() - 1) {
                if (cur.stream().anyMatch(m -> !m.parameters().isEmpty()))
                    out.add(new Block(name + "[" + start + ":" + (i + 1) + "]", cur));
                cur = new ArrayList<>();
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean isPool(Module m) {
        return m instanceof MaxPool2d || m instanceof AvgPool2d || m instanceof AdaptiveAvgPool2d
                || m instanceof AdaptiveMaxPool2d;
    }

    private static boolean isNorm(Module m) {
        return m instanceof BatchNorm; // BatchNorm1d, BatchNorm2d, and the Keras layouts' batch norms
    }

    private static Module head(Module model) {
        return model.getSubmodule(Models.headPath(model));
    }

    // ------------------------------------------------------------------ parameter lists

    /** The parameters that currently require grad: what to hand to the optimizer after freezing. */
    public static List<Tensor> trainableParameters(Module model) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : model.parameters()) if (p.requiresGrad()) out.add(p);
        return out;
    }

    /** The classifier head's parameters (for a parameter group with its own learning rate). */
    public static List<Tensor> headParameters(Module model) {
        return head(model).parameters();
    }

    /** Every parameter outside the head, frozen or not (for a parameter group with a smaller learning rate). */
    public static List<Tensor> backboneParameters(Module model) {
        Set<Tensor> head = Collections.newSetFromMap(new IdentityHashMap<>());
        head.addAll(headParameters(model));
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : model.parameters()) if (!head.contains(p)) out.add(p);
        return out;
    }
}
