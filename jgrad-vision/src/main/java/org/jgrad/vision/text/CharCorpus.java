package org.jgrad.vision.text;

import java.io.IOException;
import java.nio.file.Path;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A text for a character-level language model: its vocabulary and its characters as token ids. The
 * training and test sets are contiguous parts (the first 90% and the last 10%, so no test text is seen in
 * training), cut into windows of {@code seqLen + 1} characters that follow each other without overlap:
 * the inputs are the first {@code seqLen} characters of a window, the targets the last {@code seqLen}
 * (each input character's successor), both {@code [windows, seqLen]} int64.
 *
 * @param vocabulary the characters
 * @param ids the text as token ids, int64 {@code [length]}
 */
public record CharCorpus(CharVocabulary vocabulary, Tensor ids) {

    /** Checks that the ids are int64 {@code [length]}. */
    public CharCorpus {
        if (ids.dim() != 1 || ids.dtype() != DType.INT64)
            throw new IllegalArgumentException("CharCorpus: expected int64 token ids [length], got " + ids.dtype().pyName()
                    + " " + Shape.str(ids.shape()));
    }

    /** Fraction of the text (at its end) kept for testing. */
    public static final double TEST_FRACTION = 0.1;

    /** The corpus of {@code text}. */
    public static CharCorpus of(String text) {
        CharVocabulary v = CharVocabulary.of(text);
        return new CharCorpus(v, v.encode(text));
    }

    /**
     * The corpus of a UTF-8 file.
     *
     * @throws DataFormatException when the file is not UTF-8 or too short for a window
     */
    public static CharCorpus read(Path file) throws IOException {
        String text = TextFiles.readUtf8(file);
        if (text.codePointCount(0, text.length()) < 100)
            throw new DataFormatException(file + ": " + text.codePointCount(0, text.length()) + " characters are too few to"
                    + " train a language model on (at least 100)");
        return of(text);
    }

    /** The training and test windows. */
    public record Split(TensorDataset train, TensorDataset test) {}

    /**
     * Windows of {@code seqLen} characters from the first 90% (training) and the last 10% (testing).
     *
     * @throws IllegalArgumentException when either part is shorter than one window
     */
    public Split split(int seqLen) {
        if (seqLen < 1) throw new IllegalArgumentException("CharCorpus.split: seqLen must be positive, got " + seqLen);
        long[] ids = this.ids.contiguous().toLongArray();
        int cut = (int) Math.round(ids.length * (1 - TEST_FRACTION));
        return new Split(windows(ids, 0, cut, seqLen, "training"), windows(ids, cut, ids.length, seqLen, "test"));
    }

    private static TensorDataset windows(long[] ids, int from, int to, int seqLen, String what) {
        int n = (to - from - 1) / seqLen;
        if (n < 1)
            throw new IllegalArgumentException("CharCorpus.split: the " + what + " part has " + (to - from)
                    + " characters, fewer than one window of " + (seqLen + 1));
        long[] x = new long[n * seqLen], y = new long[n * seqLen];
        for (int w = 0; w < n; w++)
            for (int t = 0; t < seqLen; t++) {
                x[w * seqLen + t] = ids[from + w * seqLen + t];
                y[w * seqLen + t] = ids[from + w * seqLen + t + 1];
            }
        return new TensorDataset(TensorData.wrapLongs(x, n, seqLen), TensorData.wrapLongs(y, n, seqLen));
    }
}
