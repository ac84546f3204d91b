package org.jgrad.vision.models;

import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * The lectures' two-stream video network (after Simonyan and Zisserman, 2014) for short clips
 * {@code [frames, H, W]} of grey images: a <em>frame</em> (spatial) stream sees the middle frame and
 * recognises what is there; a <em>difference</em> (temporal) stream sees the {@code frames − 1} differences
 * of consecutive frames stacked as channels (a cheap stand-in for optical flow) and recognises how it
 * moves. Each stream is a small CNN (3×3 convolutions of 16, 32, 32 channels, each followed by ReLU and
 * 2×2 max pooling, an adaptive average pool to 4×4, {@code Linear(512, 128)}, ReLU, dropout,
 * {@code Linear(128, classes)}) ending in its own class scores.
 *
 * <p>Late fusion: with both streams the output is the log of the average of the two softmax
 * distributions, {@code log((softmax(a) + softmax(b)) / 2)}, computed stably; it is a valid log-probability,
 * so cross-entropy on it is the negative log-likelihood of the fused prediction. With one stream the
 * output is that stream's scores. The streams' layers are named {@code frames.*} and {@code differences.*}
 * in every variant, so two separately trained single-stream networks load into a two-stream one and are
 * fused at test time, as in the paper.
 */
public class TwoStreamNet extends Module {

    /** Which streams a network has. */
    public enum Streams {
        /** The middle frame only. */
        FRAMES,
        /** Stacked frame differences only. */
        DIFFERENCES,
        /** Both, fused late by averaging their softmax outputs. */
        BOTH
    }

    private final Streams streams;

    /**
     * A network for clips of {@code frames} frames (at least 2) and {@code numClasses} classes.
     *
     * @throws IllegalArgumentException for fewer than 2 frames or no classes
     */
    public TwoStreamNet(int numClasses, int frames, Streams streams, double dropout) {
        if (frames < 2) throw new IllegalArgumentException("TwoStreamNet: a clip needs at least 2 frames, got " + frames);
        VGG.checkSizes("TwoStreamNet", numClasses, frames);
        this.streams = streams;
        if (streams != Streams.DIFFERENCES) registerModule("frames", stream(1, numClasses, dropout));
        if (streams != Streams.FRAMES) registerModule("differences", stream(frames - 1, numClasses, dropout));
    }

    private static Module stream(int in, int numClasses, double dropout) {
        Sequential s = new Sequential();
        int c = in;
        for (int out : new int[] {16, 32, 32}) {
            s.append(new Conv2d(c, out, 3, 1, 1)).append(new ReLU()).append(new MaxPool2d(2));
            c = out;
        }
        s.append(new org.jgrad.nn.AdaptiveAvgPool2d(4, 4)).append(new org.jgrad.nn.Flatten())
                .append(new Linear(c * 16, 128)).append(new ReLU()).append(new Dropout(dropout))
                .append(new Linear(128, numClasses));
        return s;
    }

    /** The streams this network has. */
    public Streams streams() {
        return streams;
    }

    /** The frame stream's class scores for clips {@code [N, frames, H, W]}. */
    public Tensor frameScores(Tensor clips) {
        int t = clips.size(1);
        return child("frames").call(clips.narrow(1, t / 2, 1));
    }

    /** The difference stream's class scores for clips {@code [N, frames, H, W]}. */
    public Tensor differenceScores(Tensor clips) {
        int t = clips.size(1);
        return child("differences").call(clips.narrow(1, 1, t - 1).sub(clips.narrow(1, 0, t - 1)));
    }

    @Override
    public Tensor forward(Tensor clips) {
        if (clips.dim() != 4)
            throw new IllegalArgumentException("TwoStreamNet: expected clips [N, frames, H, W], got " + clips.dim() + " dimensions");
        return switch (streams) {
            case FRAMES -> frameScores(clips);
            case DIFFERENCES -> differenceScores(clips);
            case BOTH -> fuse(frameScores(clips), differenceScores(clips));
        };
    }

    /** {@code log((softmax(a) + softmax(b)) / 2)} along the classes, without underflow. */
    public static Tensor fuse(Tensor a, Tensor b) {
        Tensor both = Tensor.stack(0, F.logSoftmax(a, 1), F.logSoftmax(b, 1));
        return both.logsumexp(0, false).sub((float) Math.log(2));
    }
}
