package org.jgrad.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} skipped in non-strict mode: keys the model has but the state
 * dict lacks, and keys the state dict has but the model does not (PyTorch's {@code _IncompatibleKeys}).
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    public LoadResult {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }
}
