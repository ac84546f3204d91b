package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;

/** Attributes of {@link MatmulOps}, as recorded on the graph. */
public sealed interface MatmulAttributes extends OpAttributes {
    /**
     * {@code mm} / {@code addmm} of a linear layer: {@code x · wᵀ (+ b)} with the weight in PyTorch's
     * [out, in] layout, i.e. ONNX's Gemm with {@code transB = 1}. A plain {@code matmul} records no attributes.
     */
    record Linear() implements MatmulAttributes {}
}
