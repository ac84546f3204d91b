package org.jgrad.backend.cpu;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.PoolBackend;
import org.jgrad.backend.PoolGeometry;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.AvgPoolLoops;
import org.jgrad.kernels.MaxPoolLoops;

/** {@link PoolBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuPool implements PoolBackend {

    private static float[] f(Storage s) {
        return ((FloatStorage) s).array();
    }

    @Override
    public Pooled maxPool2x2(Storage x, int xOff, int planes, int height, int width, int outH, int outW) {
        float[] out = new float[planes * outH * outW];
        // which window element won, as a float (the vector kernel's lanes): kept for the backward
        float[] which = new float[out.length];
        MaxPoolLoops.maxPool2x2(f(x), xOff, planes, height, width, outH, outW, out, which);
        return new Pooled(FloatStorage.wrap(out), FloatStorage.wrap(which));
    }

    @Override
    public Storage maxPool2x2Indices(Storage choice, int planes, int width, int outH, int outW) {
        long[] idx = new long[planes * outH * outW];
        MaxPoolLoops.maxPool2x2Indices(f(choice), idx.length, width, outH, outW, idx);
        return LongStorage.wrap(idx);
    }

    @Override
    public Storage maxPool2x2Backward(Storage g, int gOff, Storage choice, int planes, int height, int width, int outH,
            int outW) {
        float[] dx = new float[planes * height * width];
        MaxPoolLoops.maxPool2x2Backward(f(g), gOff, f(choice), planes, height, width, outH, outW, dx);
        return FloatStorage.wrap(dx);
    }

    @Override
    public Storage maxPool2x2ReluBackward(Storage g, int gOff, Storage choice, Storage kept, int planes, int height,
            int width, int outH, int outW) {
        float[] dx = LentGradients.lend(planes * height * width);
        MaxPoolLoops.maxPool2x2ReluBackward(f(g), gOff, f(choice), f(kept), planes, height, width, outH, outW, dx);
        return FloatStorage.wrap(dx);
    }

    @Override
    public void giveBack(Storage s) {
        if (s instanceof FloatStorage fs) LentGradients.giveBack(fs.array());
    }

    @Override
    public Pooled maxPool2d(Storage x, int xOff, PoolGeometry g) {
        float[] out = new float[g.planes() * g.outPlane()];
        long[] idx = new long[out.length];
        MaxPoolLoops.maxPool2d(f(x), xOff, g.planes(), g.height(), g.width(), g.outH(), g.outW(), g.kernelH(),
                g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(), out, idx);
        return new Pooled(FloatStorage.wrap(out), LongStorage.wrap(idx));
    }

    @Override
    public Storage maxPoolBackward(Storage g, int gOff, Storage indices, int planes, int inPlane, int outPlane) {
        float[] dx = new float[planes * inPlane];
        MaxPoolLoops.scatter(f(g), gOff, ((LongStorage) indices).array(), planes, inPlane, outPlane, dx);
        return FloatStorage.wrap(dx);
    }

    @Override
    public Storage avgPool2d(Storage x, int xOff, PoolGeometry g, boolean countIncludePad, int divisorOverride) {
        float[] out = new float[g.planes() * g.outPlane()];
        AvgPoolLoops.avgPool2d(f(x), xOff, g.planes(), g.height(), g.width(), g.outH(), g.outW(), g.kernelH(),
                g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(), countIncludePad, divisorOverride, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage avgPool2dBackward(Storage gr, int gOff, PoolGeometry g, boolean countIncludePad, int divisorOverride) {
        float[] dx = new float[g.planes() * g.inPlane()];
        AvgPoolLoops.avgPool2dBackward(f(gr), gOff, g.planes(), g.height(), g.width(), g.outH(), g.outW(), g.kernelH(),
                g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(), countIncludePad, divisorOverride, dx);
        return FloatStorage.wrap(dx);
    }

    @Override
    public Storage adaptiveAvgPool2d(Storage x, int xOff, int planes, int height, int width, int outH, int outW) {
        float[] out = new float[planes * outH * outW];
        AvgPoolLoops.adaptiveAvgPool2d(f(x), xOff, planes, height, width, outH, outW, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage adaptiveAvgPool2dBackward(Storage g, int gOff, int planes, int height, int width, int outH,
            int outW) {
        float[] dx = new float[planes * height * width];
        AvgPoolLoops.adaptiveAvgPool2dBackward(f(g), gOff, planes, height, width, outH, outW, dx);
        return FloatStorage.wrap(dx);
    }

    @Override
    public Pooled adaptiveMaxPool2d(Storage x, int xOff, int planes, int height, int width, int outH, int outW) {
        float[] out = new float[planes * outH * outW];
        long[] idx = new long[out.length];
        MaxPoolLoops.adaptiveMaxPool2d(f(x), xOff, planes, height, width, outH, outW, out, idx);
        return new Pooled(FloatStorage.wrap(out), LongStorage.wrap(idx));
    }
}
