/**
 * The classic tools as plain Java entry points for the command line: {@code filter}
 * ({@link org.jgrad.vision.tools.FilterTool}), {@code fft} ({@link org.jgrad.vision.tools.FftTool}),
 * {@code knn} ({@link org.jgrad.vision.tools.KnnTool}) and {@code linear}
 * ({@link org.jgrad.vision.tools.LinearTool}). Each {@code run} validates its arguments, does the work
 * and returns a result record with a one-line {@code summary()}; none prints or exits.
 */
package org.jgrad.vision.tools;
