/**
 * Optimizers and gradient clipping, after {@code torch.optim}.
 *
 * <p>An {@link org.jgrad.optim.Optimizer} holds {@link org.jgrad.optim.ParamGroup}s and updates
 * their parameters in place from {@code .grad} on {@link org.jgrad.optim.Optimizer#step()}, with
 * PyTorch's update formulas: {@link org.jgrad.optim.SGD}, {@link org.jgrad.optim.Adagrad},
 * {@link org.jgrad.optim.RMSprop}, {@link org.jgrad.optim.Adam}, {@link org.jgrad.optim.AdamW}.
 * Learning-rate schedules live in {@link org.jgrad.optim.lr}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1).momentum(0.9).weightDecay(5e-4);
 * for (var batch : loader) {
 *     opt.zeroGrad();
 *     Tensor loss = lossFn.forward(model.forward(batch.x()), batch.y());
 *     loss.backward();
 *     GradClip.clipGradNorm(model.parameters(), 1.0);
 *     opt.step();
 * }
 * }</pre>
 *
 * State dicts are maps from names to tensors, so a checkpoint writer can store them next to the
 * model's weights; see {@link org.jgrad.optim.StateDicts} for how scalars are kept exact.
 */
package org.jgrad.optim;
