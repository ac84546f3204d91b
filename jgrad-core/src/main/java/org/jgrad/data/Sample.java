package org.jgrad.data;

import org.jgrad.tensor.Tensor;

/** One example of a dataset: an input and its target (a class index, a value, or anything a loss takes). */
public record Sample(Tensor input, Tensor target) {}
