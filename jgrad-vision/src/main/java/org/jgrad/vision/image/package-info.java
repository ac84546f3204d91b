/**
 * Images as float tensors [C, H, W]: reading and writing PNG/JPEG/BMP ({@link org.jgrad.vision.image.Images}),
 * grey conversion ({@link org.jgrad.vision.image.Color}), resizing ({@link org.jgrad.vision.image.Resize}),
 * cropping and padding ({@link org.jgrad.vision.image.Crop}).
 */
package org.jgrad.vision.image;
