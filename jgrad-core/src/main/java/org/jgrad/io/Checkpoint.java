package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jgrad.internal.TensorData;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.StateDicts;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Everything needed to resume training exactly, stored as one safetensors file that PyTorch and
 * Hugging Face tools can open: model, optimizer and scheduler state dicts, epoch, step, the state of
 * every random generator, and free-form string metadata (hyperparameters as JSON, a git hash, ...).
 *
 * <p>File layout: tensors {@code model.<key>}, {@code optim.<key>}, {@code sched.<key>}; 0-d int64
 * tensors {@code epoch} and {@code step}; 1-D int64 tensors {@code rng.<name>} holding
 * {@link Generator#getState()}; {@code __metadata__} holds the caller's metadata plus
 * {@value #FORMAT_KEY}{@code =}{@value #FORMAT_VALUE}, which marks the file as a checkpoint.
 *
 * <pre>{@code
 * Checkpoint.builder().model(model.stateDict()).optimizer(opt.stateDict())
 *         .epoch(epoch).step(step).rng("main", gen).metadata("hparams", json)
 *         .build().save(path);
 *
 * Checkpoint ck = Checkpoint.load(path);     // throws SafeTensorsException on a bad file
 * model.loadStateDict(ck.model(), true);
 * ck.restoreRng("main", gen);
 * }</pre>
 *
 * <p>{@link #load} is a pure function: it builds a new {@code Checkpoint} and touches no model, so a
 * truncated or corrupt file fails before anything could be half-restored. Instances are immutable
 * apart from the tensors themselves; the maps are unmodifiable copies in insertion (or file) order.
 *
 * @param model the model's state dict, keys without prefix
 * @param optimizer the optimizer's state dict, keys without prefix
 * @param scheduler the learning-rate scheduler's state dict, keys without prefix
 * @param epoch the epoch to resume from
 * @param step the global step to resume from
 * @param rngStates generator name to {@link Generator#getState()}
 * @param metadata free-form strings; must not use the reserved key {@value #FORMAT_KEY}
 */
public record Checkpoint(
        Map<String, Tensor> model,
        Map<String, Tensor> optimizer,
        Map<String, Tensor> scheduler,
        long epoch,
        long step,
        Map<String, long[]> rngStates,
        Map<String, String> metadata) {

    /** Prefix of model tensors in the file. */
    public static final String MODEL_PREFIX = "model.";
    /** Prefix of optimizer tensors in the file. */
    public static final String OPTIMIZER_PREFIX = "optim.";
    /** Prefix of scheduler tensors in the file. */
    public static final String SCHEDULER_PREFIX = "sched.";
    /** Prefix of generator states in the file. */
    public static final String RNG_PREFIX = "rng.";
    /** Name of the 0-d int64 epoch tensor. */
    public static final String EPOCH_KEY = "epoch";
    /** Name of the 0-d int64 step tensor. */
    public static final String STEP_KEY = "step";
    /** Metadata key that marks a file as a jgrad checkpoint. */
    public static final String FORMAT_KEY = "jgrad.format";
    /** Value of {@link #FORMAT_KEY}; a future incompatible layout gets a new value. */
    public static final String FORMAT_VALUE = "checkpoint-v1";

    /** Copies every map (null becomes empty) and every RNG state array. */
    public Checkpoint {
        model = copy(model, "model");
        optimizer = copy(optimizer, "optimizer");
        scheduler = copy(scheduler, "scheduler");
        LinkedHashMap<String, long[]> rng = new LinkedHashMap<>();
        if (rngStates != null) {
            for (Map.Entry<String, long[]> e : rngStates.entrySet()) {
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException("Checkpoint: null RNG name or state for '" + e.getKey() + "'");
                rng.put(e.getKey(), e.getValue().clone());
            }
        }
        rngStates = Collections.unmodifiableMap(rng);
        metadata = copy(metadata, "metadata");
        if (metadata.containsKey(FORMAT_KEY))
            throw new IllegalArgumentException("Checkpoint: metadata key '" + FORMAT_KEY + "' is reserved");
    }

    private static <V> Map<String, V> copy(Map<String, V> m, String what) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        if (m != null) {
            for (Map.Entry<String, V> e : m.entrySet()) {
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException("Checkpoint: null key or value in " + what + " for '"
                            + e.getKey() + "'");
                out.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Generator name to state; the arrays are copies, so callers may modify them. */
    @Override
    public Map<String, long[]> rngStates() {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        rngStates.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    /**
     * Restores generator {@code name}'s state into {@code gen}.
     *
     * @throws IllegalArgumentException if the checkpoint has no such generator or its state is invalid
     */
    public void restoreRng(String name, Generator gen) {
        long[] s = rngStates.get(name);
        if (s == null)
            throw new IllegalArgumentException("Checkpoint: no RNG state named '" + name + "' (have "
                    + rngStates.keySet() + ")");
        gen.setState(s.clone());
    }

    /**
     * Writes this checkpoint to {@code file}, atomically replacing any existing file. Optimizer and
     * scheduler hyperparameters ({@link StateDicts#isDouble}) are written as {@code F64} scalars. The
     * same checkpoint gives the same bytes.
     *
     * @throws IllegalStateException if a model or optimizer tensor holds NaN or an infinity: such a
     *     state cannot be resumed, and writing it would replace the last good checkpoint; the file is
     *     left as it was
     */
    public void save(Path file) throws IOException {
        requireFinite(model, MODEL_PREFIX, file);
        requireFinite(optimizer, OPTIMIZER_PREFIX, file);
        LinkedHashMap<String, Tensor> all = new LinkedHashMap<>();
        model.forEach((k, v) -> all.put(MODEL_PREFIX + k, v));
        optimizer.forEach((k, v) -> all.put(OPTIMIZER_PREFIX + k, v));
        scheduler.forEach((k, v) -> all.put(SCHEDULER_PREFIX + k, v));
        all.put(EPOCH_KEY, TensorData.wrapLongs(new long[] {epoch}));
        all.put(STEP_KEY, TensorData.wrapLongs(new long[] {step}));
        rngStates.forEach((k, v) -> all.put(RNG_PREFIX + k, TensorData.wrapLongs(v.clone(), v.length)));
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT_VALUE);
        meta.putAll(metadata);
        SafeTensors.save(all, file, meta, StateDicts::isDouble);
    }

    private static void requireFinite(Map<String, Tensor> tensors, String prefix, Path file) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.FLOAT32) continue;
            float[] v = t.toFloatArray();
            for (int i = 0; i < v.length; i++)
                if (!Float.isFinite(v[i]))
                    throw new IllegalStateException("Checkpoint.save: tensor '" + prefix + e.getKey() + "' holds " + v[i]
                            + " at element " + i + "; a non-finite state cannot be resumed, so " + file
                            + " was not written (the previous checkpoint, if any, is kept)");
        }
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws SafeTensorsException if the file is not a valid safetensors file, not a jgrad checkpoint,
     *     or its epoch/step/RNG tensors have the wrong dtype or shape, or it has tensors outside the
     *     documented prefixes, or the epoch or step is negative (or the epoch above 2^31-1, the step above 2^53), or an RNG
     *     state is one {@link Generator#setState} refuses
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        java.util.Set<String> doubles = new java.util.HashSet<>();
        // Hyperparameters are F64 scalars (older checkpoints: int64 bits); read them back exactly.
        SafeTensorsFile f = SafeTensors.load(file, name -> (name.startsWith(OPTIMIZER_PREFIX)
                || name.startsWith(SCHEDULER_PREFIX)) && doubles.add(name));
        LinkedHashMap<String, String> meta = f.metadata();
        String format = meta.remove(FORMAT_KEY);
        if (!FORMAT_VALUE.equals(format))
            throw new SafeTensorsException(file, null, -1, format == null
                    ? "not a jgrad checkpoint: __metadata__ has no '" + FORMAT_KEY + "' entry"
                    : "unsupported checkpoint format " + SafeTensorsException.quote(format) + " (this jgrad reads '"
                            + FORMAT_VALUE + "')");
        LinkedHashMap<String, Tensor> model = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> optim = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> sched = new LinkedHashMap<>();
        LinkedHashMap<String, long[]> rng = new LinkedHashMap<>();
        Long epoch = null, step = null;
        for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
            String k = e.getKey();
            Tensor t = e.getValue();
            if (doubles.contains(k)) {
                if (t.numel() != 1)
                    throw new SafeTensorsException(file, k, -1, "an F64 optimizer or scheduler entry must be a scalar"
                            + " hyperparameter, got shape " + Arrays.toString(t.shape()));
                t = StateDicts.encodeDouble(Double.longBitsToDouble(t.toLongArray()[0]));
            }
            if (k.startsWith(MODEL_PREFIX)) model.put(k.substring(MODEL_PREFIX.length()), t);
            else if (k.startsWith(OPTIMIZER_PREFIX)) optim.put(k.substring(OPTIMIZER_PREFIX.length()), t);
            else if (k.startsWith(SCHEDULER_PREFIX)) sched.put(k.substring(SCHEDULER_PREFIX.length()), t);
            else if (k.startsWith(RNG_PREFIX)) {
                if (t.dtype() != DType.INT64 || t.dim() != 1)
                    throw new SafeTensorsException(file, k, -1, "RNG state must be a 1-D int64 tensor, got "
                            + t.dtype().pyName() + " of shape " + Arrays.toString(t.shape()));
                long[] state = t.toLongArray();
                try {
                    // Refused here rather than at resume, which would already have changed the model.
                    new Generator(0).setState(state);
                } catch (IllegalArgumentException ex) {
                    throw new SafeTensorsException(file, k, -1, "not a valid generator state: " + ex.getMessage(), ex);
                }
                rng.put(k.substring(RNG_PREFIX.length()), state);
            } else if (k.equals(EPOCH_KEY)) epoch = scalar(file, k, t);
            else if (k.equals(STEP_KEY)) step = scalar(file, k, t);
            else throw new SafeTensorsException(file, k, -1, "unexpected tensor in a checkpoint (expected prefixes "
                        + MODEL_PREFIX + ", " + OPTIMIZER_PREFIX + ", " + SCHEDULER_PREFIX + ", " + RNG_PREFIX
                        + " or " + EPOCH_KEY + "/" + STEP_KEY + ")");
        }
        if (epoch == null) throw new SafeTensorsException(file, EPOCH_KEY, -1, "checkpoint has no epoch tensor");
        if (step == null) throw new SafeTensorsException(file, STEP_KEY, -1, "checkpoint has no step tensor");
        // Trainer counts epochs in an int; a negative count would replay epochs that never ran.
        if (epoch < 0 || epoch > Integer.MAX_VALUE)
            throw new SafeTensorsException(file, EPOCH_KEY, -1, "epoch " + epoch + " is out of range [0, 2^31-1]");
        // A count near 2^63 would wrap on the next step; no run takes 2^53 steps.
        if (step < 0 || step > Optimizer.MAX_STEP)
            throw new SafeTensorsException(file, STEP_KEY, -1, "step " + step + " is out of range [0, 2^53]");
        return new Checkpoint(model, optim, sched, epoch, step, rng, meta);
    }

    private static long scalar(Path file, String name, Tensor t) throws SafeTensorsException {
        if (t.dtype() != DType.INT64 || t.dim() != 0)
            throw new SafeTensorsException(file, name, -1, "must be a 0-d int64 tensor, got " + t.dtype().pyName()
                    + " of shape " + Arrays.toString(t.shape()));
        return t.getLong();
    }

    /** A builder starting from an empty checkpoint at epoch 0, step 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Assembles a {@link Checkpoint}; every setter replaces what it sets, except the adders. */
    public static final class Builder {
        private Map<String, Tensor> model, optimizer, scheduler;
        private long epoch, step;
        private final LinkedHashMap<String, long[]> rng = new LinkedHashMap<>();
        private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();

        private Builder() {}

        /** The model state dict (e.g. {@code module.stateDict()}). */
        public Builder model(Map<String, Tensor> stateDict) {
            this.model = stateDict;
            return this;
        }

        /** The optimizer state dict. */
        public Builder optimizer(Map<String, Tensor> stateDict) {
            this.optimizer = stateDict;
            return this;
        }

        /** The scheduler state dict. */
        public Builder scheduler(Map<String, Tensor> stateDict) {
            this.scheduler = stateDict;
            return this;
        }

        /** The epoch to resume from. */
        public Builder epoch(long epoch) {
            this.epoch = epoch;
            return this;
        }

        /** The global step to resume from. */
        public Builder step(long step) {
            this.step = step;
            return this;
        }

        /** Adds a generator's current state under {@code name}. */
        public Builder rng(String name, Generator gen) {
            return rng(name, gen.getState());
        }

        /** Adds a raw generator state under {@code name}. */
        public Builder rng(String name, long[] state) {
            rng.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(state, "state").clone());
            return this;
        }

        /** Adds one metadata string. */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds all of {@code entries} to the metadata. */
        public Builder metadata(Map<String, String> entries) {
            entries.forEach(this::metadata);
            return this;
        }

        /** The checkpoint. */
        public Checkpoint build() {
            return new Checkpoint(model, optimizer, scheduler, epoch, step, rng, metadata);
        }
    }
}
