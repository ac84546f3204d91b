package org.jgrad.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} skipped in non-strict mode: keys the model has but the state
 * dict lacks, and keys the state dict has but the model does not (PyTorch's {@code _IncompatibleKeys}).
 *
 * @param missingKeys    keys of the model absent from the state dict
 * @param unexpectedKeys keys of the state dict the model does not have
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    /** Copies the lists so the result cannot change. */
    public LoadResult {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }
}
