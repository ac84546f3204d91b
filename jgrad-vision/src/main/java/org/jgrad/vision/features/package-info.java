/**
 * Hand-made image features, the pipeline before deep learning: colour and intensity histograms
 * ({@link org.jgrad.vision.features.ColorHistogram}), histograms of oriented gradients
 * ({@link org.jgrad.vision.features.Hog}, scikit-image's definition), bags of visual words over dense
 * patches ({@link org.jgrad.vision.features.BagOfVisualWords}, with {@link org.jgrad.vision.features.KMeans}
 * and {@link org.jgrad.vision.features.MiniBatchKMeans}), and raw pixels
 * ({@link org.jgrad.vision.features.PixelFeatures}). Each is an
 * {@link org.jgrad.vision.features.ImageFeature}, a {@link org.jgrad.data.Transform} from an image to a
 * feature vector; {@link org.jgrad.vision.features.Features} turns a whole dataset of images into a dataset
 * of feature vectors for the classic classifiers or a {@code Linear} model.
 */
package org.jgrad.vision.features;
