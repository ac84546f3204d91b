package org.jgrad.hardening;

import static org.jgrad.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensorsException;
import org.jgrad.optim.Adam;
import org.jgrad.optim.Optimizer;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Checkpoint#load}: what loads must also be restorable by {@code Trainer.resume}; and
 * its optimizer state goes through {@link Adam#loadStateDict} over parameters shaped like the model
 * tensors, which must refuse (IllegalArgumentException) or leave only values a constructor accepts.
 */
class CheckpointFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".safetensors");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void load(byte[] data) {
        Checkpoint ck = FuzzContract.run(data.length, SafeTensorsException.class,
                () -> Checkpoint.load(FuzzContract.write(FILE, data)));
        if (ck == null) return;
        require(ck.epoch() >= 0 && ck.epoch() <= Integer.MAX_VALUE, "epoch " + ck.epoch());
        require(ck.step() >= 0 && ck.step() <= Optimizer.MAX_STEP, "step " + ck.step());
        for (Map.Entry<String, long[]> e : ck.rngStates().entrySet()) {
            try {
                new Generator(0).setState(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new AssertionError("loaded a checkpoint whose RNG state '" + e.getKey() + "' cannot be restored: "
                        + ex.getMessage(), ex);
            }
        }
        List<Tensor> params = new ArrayList<>();
        for (Tensor t : ck.model().values())
            if (t.dtype() == DType.FLOAT32) params.add(Tensor.zeros(t.shape()).requiresGrad(true));
        if (params.isEmpty()) return;
        Adam adam = new Adam(params, 0.001);
        Boolean loaded = FuzzContract.run(data.length, IllegalArgumentException.class, () -> {
            adam.loadStateDict(ck.optimizer());
            return true;
        });
        if (loaded == null) return;
        for (var e : adam.paramGroups().get(0).options().entrySet()) {
            double v = e.getValue();
            require(Double.isFinite(v), e.getKey() + " = " + v);
            if (e.getKey().equals("beta1") || e.getKey().equals("beta2")) require(v >= 0 && v < 1, e.getKey() + " = " + v);
            if (e.getKey().equals("lr") || e.getKey().equals("eps") || e.getKey().equals("weight_decay"))
                require(v >= 0, e.getKey() + " = " + v);
            if (e.getKey().equals("amsgrad") || e.getKey().equals("maximize")) require(v == 0 || v == 1, e.getKey() + " = " + v);
        }
        for (Tensor p : params) {
            var st = adam.state(p);
            if (st != null) require(st.step() >= 0 && st.step() <= Optimizer.MAX_STEP, "state step " + st.step());
        }
    }
}
