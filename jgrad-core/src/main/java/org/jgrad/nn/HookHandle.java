package org.jgrad.nn;

/** Removes a registered hook; closing it removes it too, so a hook can live in a try-with-resources block. */
public interface HookHandle extends AutoCloseable {
    /** Unregisters the hook; calling it again does nothing. */
    void remove();

    @Override
    default void close() {
        remove();
    }
}
