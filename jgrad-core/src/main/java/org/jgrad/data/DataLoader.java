package org.jgrad.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Iterates a dataset in minibatches, like {@code torch.utils.data.DataLoader}: optional seeded
 * shuffling (a new order each epoch, drawn from the loader's generator), {@code dropLast}, and
 * background prefetching of the next batch while the caller trains on the current one.
 *
 * <pre>{@code
 * var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 10; epoch++)
 *     for (Batch b : loader) { ... }
 * }</pre>
 *
 * Reproducibility: the order of epoch e depends only on the seed and on how many epochs were
 * iterated before; {@link #generatorState()} / {@link #setGeneratorState} let a checkpoint resume
 * with exactly the batches an uninterrupted run would have seen.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle, dropLast, prefetch;
    private final Generator generator;
    private final BatchTransform augment;

    private static final ExecutorService PREFETCHER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jgrad-prefetch");
        t.setDaemon(true);
        return t;
    });

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.generator = new Generator(b.seed);
        this.augment = b.augment;
    }

    /** Starts configuring a loader over {@code dataset}. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Loader settings; defaults: batch size 1, no shuffle, keep the last partial batch, prefetch on, seed 0. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle, dropLast, prefetch = true;
        private long seed;
        private BatchTransform augment;

        private Builder(Dataset dataset) {
            if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset is null");
            this.dataset = dataset;
        }

        /** Samples per batch (checked by {@link #build}: must be positive); the last batch may be smaller. */
        public Builder batchSize(int n) { batchSize = n; return this; }

        /** Reshuffle the sample order at the start of every epoch, from the loader's own seeded generator. */
        public Builder shuffle(boolean v) { shuffle = v; return this; }

        /** Drop the last batch of an epoch when it would be smaller than the batch size. */
        public Builder dropLast(boolean v) { dropLast = v; return this; }

        /**
         * Gather the next batch on a background thread while the current one is used. The batches are
         * the same either way; turn it off to keep everything on the caller's thread.
         */
        public Builder prefetch(boolean v) { prefetch = v; return this; }

        /** Seed of the shuffle and augmentation draws: the same seed gives the same batches in every run. */
        public Builder seed(long v) { seed = v; return this; }
        /**
         * Applies {@code t} to every batch (data augmentation). Each epoch draws one number from the
         * loader's generator (after the shuffle), and batch b of that epoch gets a generator seeded
         * from it and b: the same run repeats exactly, also across a resume.
         */
        public Builder augment(BatchTransform t) { augment = t; return this; }

        /**
         * The loader.
         *
         * @throws IllegalArgumentException for a non-positive batch size, an empty dataset, or
         *     {@code dropLast} with a batch size larger than the dataset (every batch would be dropped)
         */
        public DataLoader build() {
            if (batchSize <= 0)
                throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
            if (dataset.size() == 0) throw new IllegalArgumentException("DataLoader: the dataset is empty");
            if (dropLast && batchSize > dataset.size())
                throw new IllegalArgumentException("DataLoader: batch size " + batchSize + " is larger than the dataset ("
                        + dataset.size() + " samples) and dropLast is set, so no batch would ever be produced");
            return new DataLoader(this);
        }
    }

    /** The dataset being iterated. */
    public Dataset dataset() {
        return dataset;
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** Number of batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The shuffling generator's state, to save in a checkpoint. */
    public long[] generatorState() {
        return generator.getState();
    }

    /** Restores the shuffling generator's state from a checkpoint. */
    public void setGeneratorState(long[] state) {
        generator.setState(state);
    }

    /** One epoch: a fresh order is drawn when the iterator is created. */
    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        int[] order = new int[n];
        if (shuffle) {
            long[] p = Tensor.randperm(generator, n).toLongArray();
            for (int i = 0; i < n; i++) order[i] = (int) p[i];
        } else {
            for (int i = 0; i < n; i++) order[i] = i;
        }
        // drawn only when augmenting, so that plain loaders keep the stream of earlier versions
        long epochSeed = augment == null ? 0 : generator.nextLong();
        return new BatchIterator(order, epochSeed);
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final int total;
        private int next;
        private Prefetch pending;
        private final long epochSeed;

        BatchIterator(int[] order, long epochSeed) {
            this.order = order;
            this.epochSeed = epochSeed;
            this.total = numBatches();
            if (prefetch && total > 0) pending = load(0);
        }

        /**
         * A batch being loaded in the background. Whoever claims it first builds it: the prefetch
         * thread, or the caller, when it asks for the batch before that thread has started (on a
         * machine whose cores are all busy training, waiting for it to be scheduled cost more than
         * gathering the batch).
         */
        private final class Prefetch {
            final AtomicBoolean claimed = new AtomicBoolean();
            final CompletableFuture<Batch> done = new CompletableFuture<>();
        }

        private Prefetch load(int b) {
            Prefetch pf = new Prefetch();
            PREFETCHER.execute(() -> {
                if (!pf.claimed.compareAndSet(false, true)) return;
                try {
                    pf.done.complete(make(b));
                } catch (Throwable e) {
                    pf.done.completeExceptionally(e);
                }
            });
            return pf;
        }

        private Batch make(int b) {
            int from = b * batchSize, to = Math.min(order.length, from + batchSize);
            int[] idx = java.util.Arrays.copyOfRange(order, from, to);
            Batch batch = dataset.getBatch(idx);
            // SplitMix64's odd constant spreads consecutive batch numbers over the seed space
            return augment == null ? batch : augment.apply(batch, new Generator(epochSeed + 0x9E3779B97F4A7C15L * (b + 1)));
        }

        @Override
        public boolean hasNext() {
            return next < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: epoch finished after " + total + " batches");
            int b = next++;
            if (!prefetch) return make(b);
            Batch current;
            Prefetch pf = pending;
            if (pf.claimed.compareAndSet(false, true)) {
                pending = next < total ? load(next) : null;
                return make(b);
            }
            try {
                current = pf.done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + b, e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                throw new IllegalStateException("DataLoader: loading batch " + b + " failed: " + c, c);
            }
            pending = next < total ? load(next) : null;
            return current;
        }
    }
}
