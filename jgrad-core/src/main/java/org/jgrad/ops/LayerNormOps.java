package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.OpAttributes;
import org.jgrad.backend.Backends;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** PyTorch's {@code layer_norm}: normalization over the trailing dimensions, one fused node. */
public final class LayerNormOps {
    private LayerNormOps() {}

    /** The attributes recorded with a layer-norm node. */
    public record LayerNorm(int[] normalizedShape, double eps) implements OpAttributes {
        @Override
        public String toString() {
            return "normalized_shape=" + Shape.str(normalizedShape) + ", eps=" + eps;
        }
    }

    /**
     * Normalizes {@code x} over its last {@code normalizedShape.length} dimensions, which must equal
     * {@code normalizedShape}; {@code weight} and {@code bias} (that shape, or null) scale and shift.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        ElementwiseOps.requireFloat("layer_norm", x);
        int k = normalizedShape.length, nd = x.dim();
        boolean fits = k >= 1 && k <= nd;
        for (int i = 0; fits && i < k; i++) fits = x.size(nd - k + i) == normalizedShape[i];
        if (!fits)
            throw new IllegalArgumentException("layer_norm: input " + Shape.str(x.shape()) + " does not end in normalized_shape "
                    + Shape.str(normalizedShape));
        for (Tensor p : new Tensor[] {weight, bias})
            if (p != null && !Shape.same(p.shape(), normalizedShape))
                throw new IllegalArgumentException("layer_norm: weight and bias must have normalized_shape "
                        + Shape.str(normalizedShape) + ", got " + Shape.str(p.shape()));
        if (!(eps > 0)) throw new IllegalArgumentException("layer_norm: eps must be positive, got " + eps);
        int d = Shape.numel(normalizedShape), rows = d == 0 ? 0 : x.numel() / d;
        int[] xs = x.shape();
        Tensor xc = x.contiguous(), wc = weight == null ? null : weight.contiguous(), bc = bias == null ? null : bias.contiguous();
        Tensor y = Tensor.zeros(xs), mean = Tensor.zeros(rows), rstd = Tensor.zeros(rows);
        Backends.current().norms().layerNorm(TensorData.storage(xc), xc.offset(), rows, d, storageOrNull(wc), offset(wc),
                storageOrNull(bc), offset(bc), (float) eps, TensorData.storage(y), TensorData.storage(mean), TensorData.storage(rstd));
        if (!Autograd.needsGraph(x, weight, bias)) return y;
        return Autograd.record(y, "native_layer_norm", new LayerNorm(normalizedShape.clone(), eps), g -> {
            Tensor gc = g.contiguous();
            Tensor dx = x.requiresGrad() ? Tensor.zeros(xs) : null;
            Tensor dw = weight != null && weight.requiresGrad() ? Tensor.zeros(normalizedShape) : null;
            Tensor db = bias != null && bias.requiresGrad() ? Tensor.zeros(normalizedShape) : null;
            Backends.current().norms().layerNormBackward(TensorData.storage(gc), gc.offset(), TensorData.storage(xc), xc.offset(),
                    rows, d, storageOrNull(wc), offset(wc), TensorData.storage(mean), TensorData.storage(rstd), storageOrNull(dx),
                    storageOrNull(dw), storageOrNull(db));
            return new Tensor[] {dx, dw, db};
        }, x, weight, bias);
    }

    private static Storage storageOrNull(Tensor t) {
        return t == null ? null : TensorData.storage(t);
    }

    private static int offset(Tensor t) {
        return t == null ? 0 : t.offset();
    }
}
