package org.jgrad.autograd;

import org.jgrad.tensor.Tensor;

/**
 * Called by the backward pass once a leaf's gradient for that pass is complete, like PyTorch's
 * {@code Tensor.register_post_accumulate_grad_hook}. Register one with
 * {@link Tensor#registerPostAccumulateGradHook}.
 *
 * <p>In one {@code backward()} the hook runs at most once per leaf: after the last operation of the
 * graph that could add to the leaf's gradient has run its backward, so {@code leaf.grad()} then holds
 * every contribution of the pass (summed into what was there before, when gradients were not cleared).
 * It does not run for a leaf that received no gradient in the pass (a parameter the loss does not
 * depend on). Leaves become complete in the reverse order of the forward pass, roughly: the last
 * layer's parameters first. This is what data-parallel training needs to start sending a group of
 * gradients while the backward pass computes the rest.
 *
 * <p>The hook runs on the thread that called {@code backward()}, with gradient recording off. It may
 * read the gradient, hand it to another thread, or modify it in place (the optimizer sees the
 * modified values); it must not replace {@code leaf.grad()} while a backward with hooks on other leaves
 * is under way on the same graph. An exception it throws ends the backward pass.
 */
@FunctionalInterface
public interface PostAccumulateGradHook {
    /** Receives the leaf whose gradient is complete for this backward pass. */
    void afterAccumulate(Tensor leaf);
}
