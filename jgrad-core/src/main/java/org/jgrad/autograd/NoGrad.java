package org.jgrad.autograd;

/**
 * Turns graph recording off for the current thread while open, like PyTorch's {@code torch.no_grad()}:
 *
 * <pre>{@code
 * try (var g = NoGrad.enter()) {
 *     Tensor y = model.forward(x);   // no graph is recorded
 * }
 * }</pre>
 *
 * Scopes nest; the previous state comes back on close.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    private final boolean previous;
    private boolean closed;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Disables recording until the returned scope is closed. */
    public static NoGrad enter() {
        boolean[] s = ENABLED.get();
        NoGrad g = new NoGrad(s[0]);
        s[0] = false;
        return g;
    }

    /** Enables recording until the returned scope is closed (inside a no-grad region, like {@code enable_grad}). */
    public static NoGrad enableGrad() {
        boolean[] s = ENABLED.get();
        NoGrad g = new NoGrad(s[0]);
        s[0] = true;
        return g;
    }

    /** Whether ops on the current thread record graph nodes. */
    public static boolean isGradEnabled() {
        return ENABLED.get()[0];
    }

    @Override
    public void close() {
        if (!closed) {
            ENABLED.get()[0] = previous;
            closed = true;
        }
    }
}
