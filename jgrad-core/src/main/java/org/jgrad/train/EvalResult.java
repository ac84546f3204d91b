package org.jgrad.train;

/**
 * Loss and (for classification) accuracy and confusion matrix over a dataset.
 *
 * @param confusion null for regression
 */
public record EvalResult(double loss, double accuracy, long samples, ConfusionMatrix confusion) {}
