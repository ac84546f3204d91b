/**
 * Classic image filtering, as in the lectures' filter examples: named kernels ({@link org.jgrad.vision.filters.FilterKernels}),
 * the text specs that pick them ({@link org.jgrad.vision.filters.FilterSpec}), per-channel filtering and
 * pooling ({@link org.jgrad.vision.filters.Filters}), and the information loss between an image and its
 * filtered version ({@link org.jgrad.vision.filters.ImageQuality}).
 */
package org.jgrad.vision.filters;
