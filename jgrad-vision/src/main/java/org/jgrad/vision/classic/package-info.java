/**
 * The lectures' classifiers that come before neural networks: k-nearest neighbours with L1/L2
 * distance ({@link org.jgrad.vision.classic.KNearestNeighbors}, {@link org.jgrad.vision.classic.Distances}),
 * choosing k by cross-validation ({@link org.jgrad.vision.classic.CrossValidation}), and the linear
 * classifier with multiclass SVM or softmax loss ({@link org.jgrad.vision.classic.LinearClassifier},
 * {@link org.jgrad.vision.classic.LinearLoss}).
 */
package org.jgrad.vision.classic;
