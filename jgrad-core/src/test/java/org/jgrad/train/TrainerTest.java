package org.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Synthetic2D;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.optim.SGD;
import org.jgrad.optim.lr.StepLR;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir Path dir;

    static Module mlp(long seed, boolean dropout) {
        Generator g = new Generator(seed);
        Dropout d = new Dropout(0.2);
        d.setGenerator(new Generator(seed + 1));
        return dropout
                ? new Sequential(new Linear(2, 16, true, g), new Tanh(), d, new Linear(16, 16, true, g), new ReLU(), new Linear(16, 2, true, g))
                : new Sequential(new Linear(2, 16, true, g), new Tanh(), new Linear(16, 16, true, g), new ReLU(), new Linear(16, 2, true, g));
    }

    static DataLoader loader(TensorDataset d, long seed) {
        return DataLoader.builder(d).batchSize(16).shuffle(true).seed(seed).build();
    }

    @Test
    void fitLearnsCircleAndLogsEveryEpoch() {
        TensorDataset train = Synthetic2D.generate(Synthetic2D.Kind.CIRCLE, 300, 0, new Generator(1));
        TensorDataset val = Synthetic2D.generate(Synthetic2D.Kind.CIRCLE, 100, 0, new Generator(2));
        Module model = mlp(3, false);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Trainer t = Trainer.builder(model, new Adam(model.parameters(), 0.02), new CrossEntropyLoss()).epochs(15)
                .callback(new ProgressBar(new PrintStream(buf), false)).callback(new CsvLogger(dir.resolve("m.csv"))).build();
        History h = t.fit(loader(train, 4), DataLoader.builder(val).batchSize(50).build());
        assertEquals(15, h.epochs().size());
        assertTrue(h.last().valAccuracy() > 0.95, "val accuracy " + h.last().valAccuracy());
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss());
        EvalResult r = t.evaluate(DataLoader.builder(val).batchSize(100).build());
        assertEquals(h.last().valLoss(), r.loss(), 1e-6);
        assertEquals(100, r.confusion().total());
        String progress = buf.toString();
        assertEquals(15, progress.lines().count(), progress);
        assertTrue(progress.contains("epoch 15/15") && progress.contains("val_acc"), progress);
    }

    @Test
    void csvHasOneRowPerEpoch() throws IOException {
        TensorDataset train = Synthetic2D.generate(Synthetic2D.Kind.XOR, 64, 0, new Generator(1));
        Module model = mlp(5, false);
        Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss()).epochs(3)
                .callback(new CsvLogger(dir.resolve("log.csv"))).build().fit(loader(train, 1), null);
        List<String> lines = Files.readAllLines(dir.resolve("log.csv"));
        assertEquals(CsvLogger.HEADER, lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("3,12,"), lines.get(3));
        assertTrue(lines.get(3).contains(",,"), "no validation: empty val cells");
    }

    @Test
    void resumedRunEndsWithExactlyTheSameWeights() throws IOException {
        TensorDataset train = Synthetic2D.generate(Synthetic2D.Kind.SPIRAL, 200, 0.1, new Generator(7));
        // uninterrupted: 5 epochs
        Module a = mlp(11, true);
        SGD optA = new SGD(a.parameters(), 0.05).momentum(0.9);
        Trainer ta = Trainer.builder(a, optA, new CrossEntropyLoss()).epochs(5).scheduler(new StepLR(optA, 2, 0.5)).build();
        ta.fit(loader(train, 21), null);

        // interrupted after epoch 2, checkpoint written each epoch
        Module b = mlp(11, true);
        SGD optB = new SGD(b.parameters(), 0.05).momentum(0.9);
        ModelCheckpoint ck = new ModelCheckpoint(dir.resolve("ck"));
        Trainer tb = Trainer.builder(b, optB, new CrossEntropyLoss()).epochs(5).scheduler(new StepLR(optB, 2, 0.5)).callback(ck)
                .callback(new Callback() {
                    @Override
                    public void onEpochEnd(Trainer t, EpochLog log) {
                        if (log.epoch() == 2) t.requestStop("simulated crash");
                    }
                }).build();
        assertEquals("simulated crash", tb.fit(loader(train, 21), null).stopReason());

        // a fresh process: different initial weights, loader seed and dropout stream, then resume
        Module c = mlp(999, true);
        SGD optC = new SGD(c.parameters(), 0.05).momentum(0.9);
        Trainer tc = Trainer.builder(c, optC, new CrossEntropyLoss()).epochs(5).scheduler(new StepLR(optC, 2, 0.5)).build();
        tc.resume(ck.lastFile());
        assertEquals(2, tc.epochsDone());
        History rest = tc.fit(loader(train, 12345), null);
        assertEquals(3, rest.epochs().size());
        assertEquals(ta.step(), tc.step());

        Map<String, Tensor> wa = a.stateDict(), wc = c.stateDict();
        assertEquals(wa.keySet(), wc.keySet());
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).toFloatArray(), wc.get(k).toFloatArray(), 0f, k);
        assertEquals(optA.paramGroups().get(0).lr(), optC.paramGroups().get(0).lr());
    }

    @Test
    void nanLossStopsWithTheStepNumberBeforeChangingWeights() {
        TensorDataset train = Synthetic2D.generate(Synthetic2D.Kind.GAUSSIAN, 64, 0, new Generator(1));
        Module model = mlp(2, false);
        float[][] lastGood = new float[1][];
        Trainer t = Trainer.builder(model, new SGD(model.parameters(), 1e30), new CrossEntropyLoss()).epochs(3)
                .callback(new Callback() {
                    @Override
                    public void onBatchEnd(Trainer tr, int epoch, int batch, int size, double loss, double acc) {
                        lastGood[0] = tr.model().parameters().get(0).toFloatArray();
                    }
                }).build();
        var e = assertThrows(TrainingDivergedException.class, () -> t.fit(loader(train, 1), null));
        assertTrue(e.getMessage().contains("at step " + e.step()), e.getMessage());
        assertTrue(e.step() > 1, "the first steps with finite loss ran");
        assertEquals(e.step() - 1, t.step(), "the diverged step was not counted");
        assertArrayEquals(lastGood[0], model.parameters().get(0).toFloatArray(), 0f, "the diverged step changed no weights");
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        TensorDataset train = Synthetic2D.generate(Synthetic2D.Kind.GAUSSIAN, 200, 0, new Generator(1));
        // validation labels are the opposite of training labels: val loss rises as training proceeds
        TensorDataset flipped = new TensorDataset(train.inputTensor(), train.targetTensor().toFloat().rsub(1f).toLong());
        Module model = mlp(4, false);
        Map<Integer, float[]> weights = new LinkedHashMap<>();
        EarlyStopping es = new EarlyStopping(2);
        Trainer t = Trainer.builder(model, new SGD(model.parameters(), 0.05), new CrossEntropyLoss()).epochs(50).callback(es)
                .callback(new Callback() {
                    @Override
                    public void onEpochEnd(Trainer tr, EpochLog log) {
                        weights.put(log.epoch(), tr.model().parameters().get(0).toFloatArray());
                    }
                }).build();
        History h = t.fit(loader(train, 3), DataLoader.builder(flipped).batchSize(200).build());
        assertTrue(h.stopReason().startsWith("early stopping: val_loss did not improve for 2 epochs"), h.stopReason());
        assertEquals(es.bestEpoch() + 3, h.epochs().size());
        assertArrayEquals(weights.get(es.bestEpoch()), model.parameters().get(0).toFloatArray(), 0f);
        assertNotEquals(h.last().epoch(), es.bestEpoch());
    }
}
