package org.jgrad.onnx;

import java.io.IOException;
import java.nio.file.Path;
import org.jgrad.io.AtomicFiles;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * ONNX in and out: a jgrad model to an {@code .onnx} file that ONNX Runtime, TensorRT, OpenVINO or
 * a browser runs, and an {@code .onnx} file (jgrad's own, or one {@code torch.onnx.export} wrote)
 * back into a jgrad module for inference and fine-tuning.
 *
 * <pre>{@code
 * Module model = Models.resnet18(10);                 // or any Module, hand-written forward() included
 * Onnx.export(model, Tensor.zeros(1, 3, 224, 224), Path.of("resnet18.onnx"));
 *
 * OnnxModel loaded = Onnx.load(Path.of("resnet18.onnx"));
 * loaded.eval();
 * Tensor logits = loaded.call(images);                // any batch size
 * }</pre>
 *
 * <p>The export traces one forward pass in evaluation mode ({@code model.eval()} for the duration;
 * the mode is restored after), writes opset {@value OnnxExporter#OPSET} with a free batch dimension
 * ({@code batch}) and, for token ids {@code [batch, steps]} where the model allows it, a free number of
 * steps ({@code steps}), parameters and buffers as initializers under their state-dict names, and names the
 * graph's input {@code input} and its output {@code output}. To find which sizes follow the input, the
 * model is traced twice more (a batch one row larger; token ids one step shorter) and the recorded sizes
 * are fitted as products of batch and steps; those sizes, and the constants the forward pass builds from
 * its input (causal and padding masks, a positional table cut to the input's length), are computed in the
 * file from the input's runtime shape.
 */
public final class Onnx {
    private Onnx() {}

    /**
     * Exports {@code model} by tracing {@code model.call(exampleInput)} and writes it to {@code path}
     * (atomically: an existing file is replaced only by a complete one).
     *
     * @param exampleInput one batch of the shape the model takes; only its shape matters (and, for a model
     *     that runs a padded batch, its padding: see below), and the batch dimension (the first) stays free
     *     in the exported file. An int64 batch is token ids: the graph's input is then int64, read by the
     *     model's embeddings ({@code Gather}); recurrent layers become ONNX {@code LSTM}/{@code GRU}/{@code RNN}
     *     nodes, and the rows' lengths of a padded batch are written as each row's ids before its trailing
     *     padding ids (the embedding's {@code padding_idx}), a rule checked against the traced lengths. A batch
     *     of one row is traced as two (the row twice) where the model takes that, since one row cannot tell a
     *     size 1 from the batch; the model also runs on a batch one row larger and, for token ids, one step
     *     shorter, to find the sizes that follow the input (see the class comment)
     * @throws IllegalArgumentException naming every op that has no ONNX translation, or when the output
     *     does not depend on the input
     * @throws IOException if the file cannot be written
     */
    public static void export(Module model, Tensor exampleInput, Path path) throws IOException {
        byte[] bytes = toBytes(model, exampleInput);
        AtomicFiles.writeStream(path, out -> out.write(bytes));
    }

    /** As {@link #export(Module, Tensor, Path)}, returning the file's bytes. */
    public static byte[] toBytes(Module model, Tensor exampleInput) {
        return OnnxExporter.export(model, exampleInput).toByteArray();
    }

    /**
     * Loads an ONNX model as a jgrad module. Everything is checked before anything is built: a file
     * that is not ONNX, is truncated, claims more than its bytes hold, keeps its weights in external
     * files or uses ops jgrad does not run fails with one {@link OnnxFormatException} (naming every
     * unsupported op at once).
     *
     * @return the model, in training mode like any new module: call {@code eval()} to predict
     * @throws OnnxFormatException if the file is not a model jgrad can run
     * @throws IOException if it cannot be read
     */
    public static OnnxModel load(Path path) throws IOException {
        return OnnxImporter.load(path);
    }
}
