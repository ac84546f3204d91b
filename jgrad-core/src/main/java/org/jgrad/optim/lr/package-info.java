/**
 * Learning-rate schedules, after {@code torch.optim.lr_scheduler}: epoch-driven
 * {@link org.jgrad.optim.lr.LRScheduler}s ({@link org.jgrad.optim.lr.StepLR},
 * {@link org.jgrad.optim.lr.MultiStepLR}, {@link org.jgrad.optim.lr.ExponentialLR},
 * {@link org.jgrad.optim.lr.CosineAnnealingLR}, {@link org.jgrad.optim.lr.LinearLR}), their
 * combinations ({@link org.jgrad.optim.lr.SequentialLR}, {@link org.jgrad.optim.lr.ChainedScheduler})
 * and the metric-driven {@link org.jgrad.optim.lr.ReduceLROnPlateau}. Call {@code step()} once per
 * epoch after the optimizer's steps, as in PyTorch.
 */
package org.jgrad.optim.lr;
