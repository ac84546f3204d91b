/**
 * Loss criteria, named and computed like PyTorch's ({@code nn.CrossEntropyLoss}, {@code nn.MSELoss}, ...),
 * as small classes implementing {@link org.jgrad.nn.loss.Loss} and as functions in
 * {@link org.jgrad.nn.loss.Losses}. Every loss reduces with a {@link org.jgrad.nn.loss.Reduction}.
 *
 * <p>{@link org.jgrad.nn.loss.MultiClassHingeLoss} is the lectures' multiclass SVM loss, which
 * PyTorch's {@link org.jgrad.nn.loss.MultiMarginLoss} divides by the number of classes.
 */
package org.jgrad.nn.loss;
