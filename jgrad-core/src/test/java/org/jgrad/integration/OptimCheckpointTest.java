package org.jgrad.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import java.nio.file.*;
import java.util.*;
import org.jgrad.io.Checkpoint;
import org.jgrad.optim.*;
import org.jgrad.optim.lr.*;
import org.jgrad.tensor.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimCheckpointTest {
    @TempDir Path dir;

    static void trainStep(Tensor w, Optimizer o, LRScheduler s) {
        o.zeroGrad();
        w.sub(1f).square().sum().backward();
        o.step();
        s.step();
    }

    @Test
    void resumesExactlyThroughASafetensorsCheckpoint() throws Exception {
        Tensor w = Tensor.randn(new Generator(1), 3, 2).requiresGrad(true);
        Adam opt = new Adam(List.of(w), 0.1).amsgrad(true);
        LRScheduler sched = new SequentialLR(opt, List.of(LinearLR.warmup(opt, 3), new CosineAnnealingLR(opt, 10)), 3);
        for (int i = 0; i < 4; i++) trainStep(w, opt, sched);
        Path f = dir.resolve("ck.safetensors");
        Checkpoint.builder().model(Map.of("w", w.detach())).optimizer(opt.stateDict()).scheduler(sched.stateDict()).build().save(f);
        Checkpoint ck = Checkpoint.load(f);
        Tensor w2 = ck.model().get("w").cloneData().requiresGrad(true);
        Adam opt2 = new Adam(List.of(w2), 0.1).amsgrad(true);
        LRScheduler sched2 = new SequentialLR(opt2, List.of(LinearLR.warmup(opt2, 3), new CosineAnnealingLR(opt2, 10)), 3);
        opt2.loadStateDict(ck.optimizer());
        sched2.loadStateDict(ck.scheduler());
        for (int i = 0; i < 5; i++) {
            trainStep(w, opt, sched);
            trainStep(w2, opt2, sched2);
            assertArrayEquals(sched.getLastLr(), sched2.getLastLr());
        }
        assertArrayEquals(w.toFloatArray(), w2.toFloatArray());
    }
}
