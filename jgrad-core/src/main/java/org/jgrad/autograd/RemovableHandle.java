package org.jgrad.autograd;

/**
 * Unregisters a hook registered on a tensor, like PyTorch's {@code RemovableHandle}; closing it
 * removes it too, so a hook can live in a try-with-resources block.
 */
public interface RemovableHandle extends AutoCloseable {
    /** Unregisters the hook; calling it again does nothing. */
    void remove();

    @Override
    default void close() {
        remove();
    }
}
