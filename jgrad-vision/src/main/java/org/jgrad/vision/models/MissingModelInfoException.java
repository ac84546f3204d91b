package org.jgrad.vision.models;

/**
 * A weights file without jgrad's model metadata ({@code jgrad.model}): it was saved with
 * {@code Weights.save} or by another tool, so the model to rebuild is unknown. Load it with
 * {@link SavedModel#load(java.nio.file.Path, ModelInfo)}, or give {@code jgrad eval/predict --model}.
 */
public final class MissingModelInfoException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The exception for the file or stream named {@code source}. */
    public MissingModelInfoException(String source) {
        super(source + " holds weights without jgrad's model metadata (no 'jgrad.model' entry): it was saved with"
                + " Weights.save or by another tool, so the model to build is unknown; save it with SavedModel.save,"
                + " or name the model when loading (SavedModel.load(file, info), or jgrad eval/predict --model NAME)");
    }
}
