package org.jgrad.kernels;

/**
 * Average pooling over contiguous [h, w] planes with PyTorch's windows and divisors (strided and
 * padded, or adaptive), forward and backward. Planes are split across the thread pool when there is
 * enough work; each sum runs in row-major window order.
 */
public final class AvgPoolLoops {
    private AvgPoolLoops() {}

    /** The input rectangle and divisor of every output position of an average pooling (same for all planes). */
    private static final class Windows {
        final int[] h0, h1, w0, w1;
        final float[] div;

        Windows(int h, int w, int oh, int ow, int kH, int kW, int sH, int sW, int pH, int pW, boolean countIncludePad,
                int divisorOverride) {
            int n = oh * ow;
            h0 = new int[n];
            h1 = new int[n];
            w0 = new int[n];
            w1 = new int[n];
            div = new float[n];
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int k = i * ow + j;
                    int hs = i * sH - pH, ws = j * sW - pW;
                    int he = Math.min(hs + kH, h + pH), we = Math.min(ws + kW, w + pW);
                    int poolSize = (he - hs) * (we - ws);
                    hs = Math.max(hs, 0);
                    ws = Math.max(ws, 0);
                    he = Math.min(he, h);
                    we = Math.min(we, w);
                    h0[k] = hs;
                    h1[k] = he;
                    w0[k] = ws;
                    w1[k] = we;
                    div[k] = divisorOverride != 0 ? divisorOverride
                            : countIncludePad ? poolSize : Math.max(0, he - hs) * Math.max(0, we - ws);
                }
        }
    }

    /**
     * Average pooling of planes at xd[xo..] into out: each window clipped to the padded input, divided
     * by the clipped size ({@code countIncludePad}), the real elements' count, or {@code divisorOverride}
     * when it is not 0. Outputs whose window holds no input element stay 0.
     */
    public static void avgPool2d(float[] xd, int xo, int planes, int h, int w, int oh, int ow, int kH, int kW, int sH,
            int sW, int pH, int pW, boolean countIncludePad, int divisorOverride, float[] out) {
        Windows win = new Windows(h, w, oh, ow, kH, kW, sH, sW, pH, pW, countIncludePad, divisorOverride);
        Pooling.forPlanes(planes, (long) oh * ow * kH * kW, p -> {
            int in = xo + p * h * w, op = p * oh * ow;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int k = i * ow + j;
                    if (win.h0[k] >= win.h1[k] || win.w0[k] >= win.w1[k]) continue;
                    float s = 0;
                    for (int ih = win.h0[k]; ih < win.h1[k]; ih++) {
                        int row = in + ih * w;
                        for (int iw = win.w0[k]; iw < win.w1[k]; iw++) s += xd[row + iw];
                    }
                    out[op + k] = s / win.div[k];
                }
        });
    }

    /** The input gradient of {@link #avgPool2d} into dx (zeros on entry). */
    public static void avgPool2dBackward(float[] gd, int go, int planes, int h, int w, int oh, int ow, int kH, int kW,
            int sH, int sW, int pH, int pW, boolean countIncludePad, int divisorOverride, float[] dx) {
        Windows win = new Windows(h, w, oh, ow, kH, kW, sH, sW, pH, pW, countIncludePad, divisorOverride);
        Pooling.forPlanes(planes, (long) oh * ow * kH * kW, p -> {
            int in = p * h * w, op = go + p * oh * ow;
            for (int k = 0; k < oh * ow; k++) {
                if (win.h0[k] >= win.h1[k] || win.w0[k] >= win.w1[k]) continue;
                float v = gd[op + k] / win.div[k];
                for (int ih = win.h0[k]; ih < win.h1[k]; ih++) {
                    int row = in + ih * w;
                    for (int iw = win.w0[k]; iw < win.w1[k]; iw++) dx[row + iw] += v;
                }
            }
        });
    }

    /** Adaptive average pooling of planes at xd[xo..] into out (windows: {@link Pooling#adaptiveWindows}). */
    public static void adaptiveAvgPool2d(float[] xd, int xo, int planes, int h, int w, int outH, int outW, float[] out) {
        int[] r0 = new int[outH], r1 = new int[outH], c0 = new int[outW], c1 = new int[outW];
        Pooling.adaptiveWindows(h, outH, r0, r1);
        Pooling.adaptiveWindows(w, outW, c0, c1);
        Pooling.forPlanes(planes, (long) h * w, p -> {
            int in = xo + p * h * w, op = p * outH * outW;
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    float s = 0;
                    for (int ih = r0[i]; ih < r1[i]; ih++) {
                        int row = in + ih * w;
                        for (int iw = c0[j]; iw < c1[j]; iw++) s += xd[row + iw];
                    }
                    out[op + i * outW + j] = s / ((r1[i] - r0[i]) * (c1[j] - c0[j]));
                }
        });
    }

    /** The input gradient of {@link #adaptiveAvgPool2d} into dx (zeros on entry). */
    public static void adaptiveAvgPool2dBackward(float[] gd, int go, int planes, int h, int w, int outH, int outW,
            float[] dx) {
        int[] r0 = new int[outH], r1 = new int[outH], c0 = new int[outW], c1 = new int[outW];
        Pooling.adaptiveWindows(h, outH, r0, r1);
        Pooling.adaptiveWindows(w, outW, c0, c1);
        Pooling.forPlanes(planes, (long) h * w, p -> {
            int in = p * h * w, op = go + p * outH * outW;
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    float v = gd[op + i * outW + j] / ((r1[i] - r0[i]) * (c1[j] - c0[j]));
                    for (int ih = r0[i]; ih < r1[i]; ih++) {
                        int row = in + ih * w;
                        for (int iw = c0[j]; iw < c1[j]; iw++) dx[row + iw] += v;
                    }
                }
        });
    }
}
