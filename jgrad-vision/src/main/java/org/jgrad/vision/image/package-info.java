/**
 * Images as float tensors [C, H, W]: reading and writing PNG/JPEG/GIF/BMP, the project's one image decoder ({@link org.jgrad.vision.image.ImageFiles}),
 * grey conversion ({@link org.jgrad.vision.image.Color}), resizing ({@link org.jgrad.vision.image.Resize}), fitting to a model's input size ({@link org.jgrad.vision.image.ImageFit}),
 * cropping and padding ({@link org.jgrad.vision.image.Crop}).
 */
package org.jgrad.vision.image;
