package org.jgrad.tensor;

import org.jgrad.backend.Backends;
import org.jgrad.backend.ElementwiseBackend;
import org.jgrad.backend.RandomBackend;

/** The backend families the tensor layer itself calls: fills, copies, element access, gradient sums, random fills. */
final class TensorBackends {
    private TensorBackends() {}

    static ElementwiseBackend elementwise() {
        return Backends.current().elementwise();
    }

    static RandomBackend random() {
        return Backends.current().random();
    }
}
