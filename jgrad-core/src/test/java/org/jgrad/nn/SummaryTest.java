package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The model summary table: rows, output shapes, parameter totals and the memory estimate. */
class SummaryTest {

    /** Seed 000, example 2.3: the 784-500-250-125-10 MLP for MNIST. */
    private static Sequential mnistMlp() {
        return Sequential.builder("MLP")
                .add("flatten", new Flatten())
                .add("fc1", new Linear(784, 500)).add("relu1", new ReLU())
                .add("fc2", new Linear(500, 250)).add("relu2", new ReLU())
                .add("fc3", new Linear(250, 125)).add("relu3", new ReLU())
                .add("out", new Linear(125, 10))
                .build();
    }

    @Test
    void mnistMlpTotalsAndRows() {
        String s = Summary.of(mnistMlp(), 1, 28, 28);
        // 784·500+500 + 500·250+250 + 250·125+125 + 125·10+10
        assertTrue(s.contains("Total params: 550,385\n"), s);
        assertTrue(s.contains("Trainable params: 550,385\n"), s);
        assertTrue(s.contains("Non-trainable params: 0\n"), s);
        assertTrue(s.contains("Params size (MB): 2.10\n"), s); // 550,385 floats
        assertTrue(s.contains("Forward activations (MB): 0.01\n"), s); // 3,053 floats of leaf outputs
        assertTrue(s.contains("flatten (Flatten)    [1, 784]        0\n"), s);
        assertTrue(s.contains("fc1 (Linear)         [1, 500]        392,500\n"), s);
        assertTrue(s.contains("out (Linear)         [1, 10]         1,260\n"), s);
        assertTrue(s.startsWith("MLP (input [1, 28, 28], output [1, 10])\n"), s);
        for (String line : s.split("\n")) assertEquals(line.stripTrailing(), line);
    }

    @Test
    void frozenLayersCountAsNonTrainableAndModesAreRestored() {
        Sequential net = mnistMlp();
        net.get(1).requiresGrad(false);
        net.get(0).eval();
        String s = Summary.of(net, 4, 784);
        assertTrue(s.contains("Total params: 550,385\n"), s);
        assertTrue(s.contains("Trainable params: 157,885\n"), s);
        assertTrue(s.contains("Non-trainable params: 392,500\n"), s);
        assertTrue(net.isTraining());
        assertFalse(net.get(0).isTraining());
        assertTrue(net.get(1).isTraining());
    }

    @Test
    void nestedContainersAreIndentedAndShowOwnParametersOnly() {
        Sequential net = new Sequential("Net",
                new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Tanh()),
                new Maxout(4, 2, 3), new Dropout(0.2));
        String s = Summary.of(net, 5, 3);
        String expected = """
                Net (input [5, 3], output [5, 2])
                ==============================================
                Layer (type)           Output Shape    Param #
                ==============================================
                0 (Sequential)         [5, 4]          --
                  0.0 (Linear)         [5, 4]          16
                  0.1 (BatchNorm1d)    [5, 4]          8
                  0.2 (Tanh)           [5, 4]          0
                1 (Maxout)             [5, 2]          --
                  1.linear (Linear)    [5, 6]          30
                2 (Dropout)            [5, 2]          0
                ==============================================
                Total params: 54
                Trainable params: 54
                Non-trainable params: 0
                ----------------------------------------------
                Input size (MB): 0.00
                Forward activations (MB): 0.00
                Params size (MB): 0.00
                Estimated total size (MB): 0.00
                ==============================================
                """;
        assertEquals(expected, s);
        // the summary ran in eval mode: batch-norm statistics did not move
        assertEquals(0, ((BatchNorm1d) ((Sequential) net.get(0)).get(1)).numBatchesTracked());
    }

    @Test
    void kerasCountingAddsBatchNormStatisticsAsNonTrainable() {
        // conv 3->8 3x3 with bias (224), batch norm over 8 channels: 16 parameters, 16 moving statistics
        Sequential net = Sequential.builder("ConvBn").add("conv", new Conv2d(3, 8, 3)).add("bn", new BatchNorm2d(8)).build();
        assertEquals(new Summary.Counts(240, 240, 0), Summary.count(net, Summary.Counting.PYTORCH));
        assertEquals(new Summary.Counts(256, 240, 16), Summary.count(net, Summary.Counting.KERAS));
        String s = Summary.of(net, Summary.Counting.KERAS, 1, 3, 8, 8);
        assertTrue(s.contains("Total params: 256\n"), s);
        assertTrue(s.contains("Trainable params: 240\n"), s);
        assertTrue(s.contains("Non-trainable params: 16\n"), s);
        assertTrue(s.contains("bn (BatchNorm2d)"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("bn (BatchNorm2d)") && l.endsWith(" 32")), s); // 4 per channel, as Keras
        assertTrue(Summary.of(net, 1, 3, 8, 8).contains("Total params: 240\n"));
    }
}
