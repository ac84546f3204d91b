/**
 * TensorBoard event files written from Java: {@link org.jgrad.monitor.tensorboard.TensorBoardLogger}
 * (a {@code Trainer} callback whose step axis is the global optimizer step, as in
 * {@code metrics.csv}) and {@link org.jgrad.monitor.tensorboard.EventFileWriter} (scalars at any step).
 */
package org.jgrad.monitor.tensorboard;
