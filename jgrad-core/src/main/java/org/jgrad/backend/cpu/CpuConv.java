package org.jgrad.backend.cpu;

import org.jgrad.backend.ConvBackend;
import org.jgrad.backend.ConvGeometry;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.PoolBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.ConvPlan;
import org.jgrad.kernels.ConvTaps;
import org.jgrad.kernels.Elementwise;
import org.jgrad.kernels.Im2col;
import org.jgrad.kernels.PackedConv;

/**
 * {@link ConvBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels};
 * {@link ConvPlan} chooses im2col + GEMM, the padded grid, a 1×1 product in place or depthwise planes.
 */
final class CpuConv implements ConvBackend {

    /** The geometry and the kernels' plan for it (built over the tap window when the geometry is reduced). */
    private record CpuPlan(ConvGeometry geometry, ConvPlan kernels) implements Plan {}

    /** The batch-1 geometry and the packed kernel. */
    private record CpuPacked(ConvGeometry geometry, PackedConv kernel) implements Packed {}

    private static float[] f(Storage s) {
        return s == null ? null : ((FloatStorage) s).array();
    }

    private static CpuPlan cpu(Plan p) {
        return (CpuPlan) p;
    }

    @Override
    public Plan plan(ConvGeometry g) {
        return new CpuPlan(g, new ConvPlan(im2colGeometry(g), g.batch(), g.outChannels(), g.groups()));
    }

    /** One image's convolution over the geometry's tap window, as the kernels describe it. */
    private static Im2col.Geometry im2colGeometry(ConvGeometry g) {
        int dH = g.dilationH(), dW = g.dilationW();
        return new Im2col.Geometry(g.channels(), g.height(), g.width(), g.tapsH(), g.tapsW(), g.strideH(),
                g.strideW(), g.padTop() - g.tapH0() * dH, g.padLeft() - g.tapW0() * dW, dH, dW, g.outH(), g.outW());
    }

    @Override
    public Storage cropWeight(Plan plan, Storage weight, int wOff) {
        ConvGeometry g = plan.geometry();
        int rows = g.outChannels() * (g.channels() / g.groups());
        float[] part = new float[rows * g.tapsH() * g.tapsW()];
        ConvTaps.copyTaps(f(weight), wOff, g.kernelH(), g.kernelW(), part, 0, g.tapsH(), g.tapsW(), g.tapH0(), g.tapW0(),
                rows, false);
        return FloatStorage.wrap(part);
    }

    @Override
    public Storage forward(Plan plan, Storage x, int xOff, Storage weight, int wOff, Storage bias, int bOff,
            boolean relu) {
        ConvGeometry g = plan.geometry();
        float[] out = new float[g.batch() * g.outChannels() * g.outH() * g.outW()];
        boolean fused = cpu(plan).kernels().forward(f(x), xOff, f(weight), wOff, f(bias), bOff, out, relu);
        if (relu && !fused) Elementwise.unary(Elementwise.Unary.RELU, out, 0, out, 0, out.length);
        return FloatStorage.wrap(out);
    }

    @Override
    public Pooled forwardMaxPool2x2(Plan plan, Storage x, int xOff, Storage weight, int wOff, Storage bias, int bOff,
            boolean relu, int poolH, int poolW) {
        ConvGeometry g = plan.geometry();
        int planes = g.batch() * g.outChannels(), length = planes * g.outH() * g.outW();
        // On the grid nothing but the pool reads the convolution's output, inside this call (UnreadOutputs).
        float[] out = cpu(plan).kernels().poolsOnGrid() ? UnreadOutputs.get(length) : new float[length];
        float[] values = new float[planes * poolH * poolW], which = new float[values.length];
        cpu(plan).kernels().forwardMaxPool2x2(f(x), xOff, f(weight), wOff, f(bias), bOff, out, relu, poolH, poolW, values,
                which);
        return new Pooled(FloatStorage.wrap(out), new PoolBackend.Pooled(FloatStorage.wrap(values), FloatStorage.wrap(which)));
    }

    @Override
    public Packed pack(Plan plan, Storage weight, int wOff, Storage bias, int bOff) {
        ConvGeometry g = plan.geometry();
        Im2col.Geometry geo = im2colGeometry(g);
        if (!PackedConv.applies(geo, g.groups())) return null;
        ConvGeometry one = new ConvGeometry(1, g.channels(), g.height(), g.width(), g.outChannels(), g.groups(),
                g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.dilationH(),
                g.dilationW(), g.outH(), g.outW(), g.tapH0(), g.tapW0(), g.tapsH(), g.tapsW());
        return new CpuPacked(one, new PackedConv(geo, g.outChannels(), f(weight), wOff, f(bias), bOff));
    }

    @Override
    public Storage forwardPacked(Packed packed, int batch, Storage x, int xOff, boolean relu) {
        PackedConv k = ((CpuPacked) packed).kernel();
        Im2col.Geometry geo = k.geometry();
        float[] out = new float[batch * k.outChannels() * geo.colCols()];
        k.forward(f(x), xOff, batch, out, 0, relu);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage backwardInput(Plan plan, Storage g, int gOff, Storage weight, int wOff) {
        float[] dx = new float[plan.geometry().inputLength()];
        cpu(plan).kernels().backwardInput(f(g), gOff, f(weight), wOff, dx);
        return FloatStorage.wrap(dx);
    }

    @Override
    public Storage backwardWeight(Plan plan, Storage g, int gOff, Storage x, int xOff, Storage into) {
        ConvGeometry geo = plan.geometry();
        // Every path adds into dw: into the existing .grad when gradients are not cleared between
        // steps (no new array, no separate accumulation pass), else into a new one.
        float[] dw = into != null ? f(into) : new float[geo.weightLength()];
        ConvPlan kernels = cpu(plan).kernels();
        if (geo.reduced()) {
            int rows = geo.outChannels() * (geo.channels() / geo.groups());
            float[] part = new float[rows * geo.tapsH() * geo.tapsW()];
            kernels.backwardWeight(f(g), gOff, f(x), xOff, part);
            ConvTaps.copyTaps(dw, 0, geo.kernelH(), geo.kernelW(), part, 0, geo.tapsH(), geo.tapsW(), geo.tapH0(),
                    geo.tapW0(), rows, true);
        } else kernels.backwardWeight(f(g), gOff, f(x), xOff, dw);
        return into != null ? into : FloatStorage.wrap(dw);
    }

    @Override
    public WeightAndBias backwardWeightAndBias(Plan plan, Storage g, int gOff, Storage x, int xOff, Storage into) {
        ConvGeometry geo = plan.geometry();
        if (geo.reduced()) return ConvBackend.super.backwardWeightAndBias(plan, g, gOff, x, xOff, into);
        float[] dw = into != null ? f(into) : new float[geo.weightLength()];
        float[] db = cpu(plan).kernels().backwardWeightAndBias(f(g), gOff, f(x), xOff, dw);
        return new WeightAndBias(into != null ? into : FloatStorage.wrap(dw), FloatStorage.wrap(db));
    }

    @Override
    public Storage backwardBias(Plan plan, Storage g, int gOff) {
        return FloatStorage.wrap(cpu(plan).kernels().backwardBias(f(g), gOff));
    }
}
