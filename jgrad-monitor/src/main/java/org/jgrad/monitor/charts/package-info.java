/**
 * PNG charts of a training run, drawn off-screen with XChart: loss and accuracy curves
 * ({@link org.jgrad.monitor.charts.TrainingCharts}, also a {@code Trainer} callback) and the
 * confusion matrix as a heat map ({@link org.jgrad.monitor.charts.ConfusionHeatMap}).
 */
package org.jgrad.monitor.charts;
