/**
 * Saving and loading tensors: {@link org.jgrad.io.SafeTensors} reads and writes the safetensors format
 * used by PyTorch and Hugging Face, {@link org.jgrad.io.Checkpoint} stores a whole resumable training
 * state in one such file, {@link org.jgrad.io.AtomicFiles} makes every write all-or-nothing, and
 * {@link org.jgrad.io.PyTorchCheckpoint} reads PyTorch's own {@code torch.save} files ({@code .pth})
 * with a restricted unpickler; {@link org.jgrad.io.Weights#load} takes either format.
 *
 * <p>Nothing here executes code from a file, and no class a file names is ever loaded. Readers
 * validate the entire header against the file size before allocating tensor memory, and report every
 * problem with a file as a {@link org.jgrad.io.FileFormatException} (the type of every bad-file error in
 * jgrad: {@link org.jgrad.io.SafeTensorsException} for safetensors files,
 * {@link org.jgrad.io.PyTorchFormatException} for PyTorch's) naming the file and the byte offset.
 *
 * <p>The APIs take and return {@code Map<String, Tensor>}, so module and optimizer state dicts plug in
 * directly: {@code SafeTensors.save(model.stateDict(), path)} and
 * {@code model.loadStateDict(SafeTensors.load(path).tensors(), true)}.
 */
package org.jgrad.io;
