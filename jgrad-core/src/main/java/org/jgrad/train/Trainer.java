package org.jgrad.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.internal.TensorData;
import org.jgrad.io.Checkpoint;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Stochastic;
import org.jgrad.nn.loss.Loss;
import org.jgrad.optim.GradClip;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.lr.LRScheduler;
import org.jgrad.optim.lr.ReduceLROnPlateau;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * The training loop for users who don't want to write it, like Keras' {@code fit}: epochs of
 * minibatch steps, validation after each epoch, schedule stepping, callbacks (progress, early
 * stopping, checkpoints, logs), a guard that stops on a NaN/Inf loss, and exact resumption from a
 * checkpoint.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss())
 *         .epochs(10).callback(new ProgressBar(System.out)).build();
 * History h = trainer.fit(trainLoader, valLoader);
 * EvalResult test = trainer.evaluate(testLoader);
 * }</pre>
 *
 * The plain loop it runs is the one from the lectures:
 * {@code zeroGrad(); loss = lossFn.forward(model.call(x), y); loss.backward(); optimizer.step();}
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final List<Callback> callbacks;
    private final int epochs;
    private final double clipNorm;

    private int epochsDone;
    private long step;
    private String stopReason;
    private DataLoader trainLoader;
    private Checkpoint pendingResume;

    private Trainer(Builder b) {
        model = b.model;
        optimizer = b.optimizer;
        loss = b.loss;
        scheduler = b.scheduler;
        plateau = b.plateau;
        callbacks = List.copyOf(b.callbacks);
        epochs = b.epochs;
        clipNorm = b.clipNorm;
    }

    /** Starts configuring a trainer. */
    public static Builder builder(Module model, Optimizer optimizer, Loss loss) {
        return new Builder(model, optimizer, loss);
    }

    /** Trainer settings; defaults: 10 epochs, no schedule, no clipping, no callbacks. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final Loss loss;
        private LRScheduler scheduler;
        private ReduceLROnPlateau plateau;
        private final List<Callback> callbacks = new ArrayList<>();
        private int epochs = 10;
        private double clipNorm = Double.NaN;

        private Builder(Module model, Optimizer optimizer, Loss loss) {
            if (model == null || optimizer == null || loss == null)
                throw new IllegalArgumentException("Trainer: model, optimizer and loss are all required");
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
        }

        /** Total number of epochs (a resumed run continues up to this number). */
        public Builder epochs(int n) {
            if (n < 1) throw new IllegalArgumentException("Trainer: epochs must be at least 1, got " + n);
            epochs = n;
            return this;
        }

        /** A schedule stepped once after every epoch. */
        public Builder scheduler(LRScheduler s) {
            scheduler = s;
            return this;
        }

        /** Reduce the learning rate when the validation loss (or training loss without validation) stops improving. */
        public Builder scheduler(ReduceLROnPlateau p) {
            plateau = p;
            return this;
        }

        /** Clips the global gradient norm to {@code maxNorm} before each step. */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0)) throw new IllegalArgumentException("Trainer: clipGradNorm must be positive, got " + maxNorm);
            clipNorm = maxNorm;
            return this;
        }

        /** Adds a callback; callbacks are called in the order they were added. */
        public Builder callback(Callback c) {
            callbacks.add(c);
            return this;
        }

        /** The trainer, ready for {@link Trainer#fit} or {@link Trainer#resume}. */
        public Trainer build() {
            return new Trainer(this);
        }
    }

    /** The model being trained (the one given to the builder, not a copy). */
    public Module model() {
        return model;
    }

    /** The optimizer that updates the model's parameters. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Epochs completed so far (including those before a resume). */
    public int epochsDone() {
        return epochsDone;
    }

    /** Optimizer steps taken so far (including those before a resume). */
    public long step() {
        return step;
    }

    /** The configured total number of epochs. */
    public int epochs() {
        return epochs;
    }

    /** Asks the loop to stop after the current epoch (used by early stopping). */
    public void requestStop(String reason) {
        if (stopReason == null) stopReason = reason;
    }

    /**
     * Trains for the remaining epochs. {@code val} may be null. Returns the logs of the epochs run
     * in this call.
     *
     * @throws TrainingDivergedException when a loss is NaN or infinite; the step that produced it is not
     *     applied. The message says "bad training data" and names the sample when the batch's inputs or
     *     float targets hold NaN/Inf, and "training diverged" otherwise
     */
    public History fit(DataLoader train, DataLoader val) {
        if (train == null) throw new IllegalArgumentException("fit: the training loader is null");
        trainLoader = train;
        stopReason = null;
        if (pendingResume != null) {
            long[] state = pendingResume.rngStates().get("loader");
            if (state != null) train.setGeneratorState(state);
            pendingResume = null;
        }
        History history = new History();
        for (Callback c : callbacks) c.onTrainBegin(this);
        while (epochsDone < epochs && stopReason == null) {
            int epoch = epochsDone + 1;
            long t0 = System.nanoTime();
            double lr = optimizer.paramGroups().get(0).lr();
            for (Callback c : callbacks) c.onEpochBegin(this, epoch, train.numBatches());
            model.train();
            double lossSum = 0;
            long seen = 0, correct = 0;
            boolean classification = false;
            int b = 0;
            for (Batch batch : train) {
                b++;
                optimizer.zeroGrad();
                Tensor out = model.call(batch.inputs());
                Tensor l = loss.forward(out, batch.targets());
                double lv = l.item();
                if (!Double.isFinite(lv)) {
                    String where = " at step " + (step + 1) + " (epoch " + epoch + ", batch " + b + "); this step was not applied";
                    // Bad data and a too-high learning rate look the same from the loss; the batch tells them apart.
                    String bad = nonFinite("inputs", batch.inputs());
                    if (bad == null) bad = nonFinite("targets", batch.targets());
                    throw new TrainingDivergedException(bad != null
                            ? "bad training data: the loss is " + lv + where + ". The batch's " + bad
                                    + "; clean the dataset (jgrad does not skip or repair samples)."
                            : "training diverged: the loss is " + lv + where + ". Try a lower learning rate.", step + 1);
                }
                l.backward();
                if (!Double.isNaN(clipNorm)) GradClip.clipGradNorm(model.parameters(), clipNorm, 2.0);
                optimizer.step();
                step++;
                int n = batch.size();
                lossSum += lv * n;
                seen += n;
                if (isClassification(out, batch.targets())) {
                    classification = true;
                    correct += countCorrect(out, batch.targets());
                }
                double runAcc = classification ? (double) correct / seen : Double.NaN;
                for (Callback c : callbacks) c.onBatchEnd(this, epoch, b, n, lv, runAcc);
            }
            // A finite loss can still come with an update that overflowed the weights; caught here, before
            // validation or any callback (a checkpoint) sees them. Once per epoch: a NaN weight earlier in
            // the epoch would have made the next loss NaN already.
            String badWeight = nonFiniteState(model.stateDict());
            if (badWeight != null)
                throw new TrainingDivergedException("training diverged: after step " + step + " (epoch " + epoch
                        + ", batch " + b + ") the weights hold " + badWeight + " although every loss was finite: an"
                        + " update was too large. Nothing was saved for this epoch (the last checkpoint is kept)."
                        + " Try a lower learning rate.", step);
            double trainLoss = lossSum / Math.max(seen, 1);
            double trainAcc = classification ? (double) correct / seen : Double.NaN;
            double valLoss = Double.NaN, valAcc = Double.NaN;
            if (val != null) {
                EvalResult r = evaluate(val);
                valLoss = r.loss();
                valAcc = r.accuracy();
            }
            if (scheduler != null) scheduler.step();
            if (plateau != null) plateau.step(val != null ? valLoss : trainLoss);
            epochsDone = epoch;
            EpochLog log = new EpochLog(epoch, step, trainLoss, trainAcc, valLoss, valAcc, lr, (System.nanoTime() - t0) / 1e9);
            history.add(log);
            for (Callback c : callbacks) c.onEpochEnd(this, log);
        }
        if (stopReason != null) history.stopReason(stopReason);
        for (Callback c : callbacks) c.onTrainEnd(this, history);
        return history;
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.cloneData()));
        return out;
    }

    /** Where {@code t} holds NaN or an infinity, as "inputs contain NaN at sample 3 ...", or null. */
    private static String nonFinite(String what, Tensor t) {
        if (t.dtype() != DType.FLOAT32 || t.dim() == 0) return null;
        float[] v = t.toFloatArray();
        int perSample = t.size(0) == 0 ? 1 : v.length / t.size(0);
        for (int i = 0; i < v.length; i++)
            if (!Float.isFinite(v[i]))
                return what + " contain " + v[i] + " at sample " + (i / Math.max(perSample, 1)) + " of the batch (element "
                        + (i % Math.max(perSample, 1)) + " of that sample)";
        return null;
    }

    /** The first non-finite float in a state dict, as "NaN in 'fc.weight' (element 3)", or null. */
    private static String nonFiniteState(Map<String, Tensor> state) {
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.FLOAT32) continue;
            float[] v = t.isDense() ? TensorData.floats(t) : t.toFloatArray();
            for (int i = 0; i < v.length; i++)
                if (!Float.isFinite(v[i])) return v[i] + " in '" + e.getKey() + "' (element " + i + ")";
        }
        return null;
    }

    private static boolean isClassification(Tensor out, Tensor targets) {
        return out.dim() == 2 && targets.dtype() == DType.INT64 && targets.dim() == 1;
    }

    private static long countCorrect(Tensor out, Tensor targets) {
        long[] p = out.argmax(1, false).toLongArray(), y = targets.toLongArray();
        long c = 0;
        for (int i = 0; i < p.length; i++) if (p[i] == y[i]) c++;
        return c;
    }

    /**
     * Mean loss, accuracy and confusion matrix over {@code data}, in eval mode without gradients.
     *
     * @throws IllegalStateException if the model's weights hold NaN or an infinity
     * @throws IllegalArgumentException if a batch's inputs hold NaN or an infinity: a score over them
     *     would be meaningless, not low
     */
    public EvalResult evaluate(DataLoader data) {
        requireFiniteWeights("evaluate");
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad g = NoGrad.enter()) {
            double lossSum = 0;
            long seen = 0;
            ConfusionMatrix cm = null;
            int b = 0;
            for (Batch batch : data) {
                b++;
                requireFiniteInputs("evaluate", batch, b);
                Tensor out = model.call(batch.inputs());
                int n = batch.size();
                lossSum += loss.forward(out, batch.targets()).item() * n;
                seen += n;
                if (isClassification(out, batch.targets())) {
                    if (cm == null) cm = new ConfusionMatrix(out.size(1));
                    cm.add(out.argmax(1, false), batch.targets());
                }
            }
            return new EvalResult(lossSum / Math.max(seen, 1), cm == null ? Double.NaN : cm.accuracy(), seen, cm);
        } finally {
            model.train(wasTraining);
        }
    }

    /** The model's outputs for every batch of {@code data}, concatenated along dim 0 (eval mode, no gradients). */
    public Tensor predict(DataLoader data) {
        requireFiniteWeights("predict");
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad g = NoGrad.enter()) {
            List<Tensor> outs = new ArrayList<>();
            int b = 0;
            for (Batch batch : data) {
                requireFiniteInputs("predict", batch, ++b);
                outs.add(model.call(batch.inputs()));
            }
            return Tensor.cat(0, outs.toArray(new Tensor[0]));
        } finally {
            model.train(wasTraining);
        }
    }

    private void requireFiniteWeights(String op) {
        String bad = nonFiniteState(model.stateDict());
        if (bad != null)
            throw new IllegalStateException(op + ": the model's weights hold " + bad + "; its outputs would be"
                    + " meaningless (was it saved from a run that diverged?)");
    }

    private static void requireFiniteInputs(String op, Batch batch, int b) {
        String bad = nonFinite("inputs", batch.inputs());
        if (bad != null)
            throw new IllegalArgumentException(op + ": batch " + b + "'s " + bad + "; jgrad does not score"
                    + " non-finite data: clean the dataset");
    }

    /** The whole training state: weights, optimizer and schedule state, epoch, step and every random stream. */
    public Checkpoint checkpoint() {
        Checkpoint.Builder b = Checkpoint.builder().model(model.stateDict()).optimizer(optimizer.stateDict())
                .epoch(epochsDone).step(step);
        if (scheduler != null) b.scheduler(scheduler.stateDict());
        else if (plateau != null) b.scheduler(plateau.stateDict());
        if (trainLoader != null) b.rng("loader", trainLoader.generatorState());
        b.rng("nn.default", DefaultGenerator.get());
        for (Map.Entry<String, Module> e : model.namedModules().entrySet())
            if (e.getValue() instanceof Stochastic s && s.generator() != DefaultGenerator.get())
                b.rng("module." + e.getKey(), s.generator());
        return b.build();
    }

    /** Writes {@link #checkpoint()} atomically to {@code file}. */
    public void saveCheckpoint(Path file) throws IOException {
        checkpoint().save(file);
    }

    /**
     * Restores a checkpoint so that the next {@link #fit} continues exactly where the saved run
     * stopped: same weights, optimizer moments, schedule, next batch order and dropout masks. The
     * file is fully validated before anything is changed, and a checkpoint that does not fit this
     * model, optimizer or schedule leaves all three as they were.
     *
     * @throws org.jgrad.io.SafeTensorsException if the file is not a valid checkpoint
     * @throws IllegalArgumentException if its state does not fit the model, optimizer or schedule
     */
    public void resume(Path file) throws IOException {
        Checkpoint ck = Checkpoint.load(file);
        // Without these streams a resumed run would draw other batches and masks than the uninterrupted one.
        if (ck.epoch() > 0 || ck.step() > 0)
            for (String stream : List.of("loader", "nn.default"))
                if (!ck.rngStates().containsKey(stream))
                    throw new org.jgrad.io.SafeTensorsException(file, Checkpoint.RNG_PREFIX + stream, -1, "the checkpoint"
                            + " is at step " + ck.step() + " but has no '" + stream + "' random-generator state, so the run"
                            + " cannot be continued exactly");
        // Each loadStateDict checks its own dict before changing anything, but a checkpoint whose model
        // fits and whose optimizer does not would leave new weights under old optimizer state: undo.
        Map<String, Tensor> modelBefore = copy(model.stateDict()), optimBefore = copy(optimizer.stateDict());
        model.loadStateDict(ck.model(), true);
        try {
            optimizer.loadStateDict(ck.optimizer());
            if (scheduler != null) scheduler.loadStateDict(ck.scheduler());
            else if (plateau != null) plateau.loadStateDict(ck.scheduler());
        } catch (RuntimeException e) {
            model.loadStateDict(modelBefore, true);
            optimizer.loadStateDict(optimBefore);
            throw e;
        }
        epochsDone = (int) ck.epoch();
        step = ck.step();
        Map<String, long[]> rng = ck.rngStates();
        if (rng.containsKey("nn.default")) DefaultGenerator.get().setState(rng.get("nn.default"));
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            long[] s = rng.get("module." + e.getKey());
            if (s != null && e.getValue() instanceof Stochastic st) {
                Generator g = st.generator() == DefaultGenerator.get() ? new Generator(0) : st.generator();
                g.setState(s);
                st.setGenerator(g);
            }
        }
        pendingResume = ck;
    }
}
