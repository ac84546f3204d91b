package org.jgrad.monitor.charts;

/** Charts are drawn off-screen: without this, AWT on a machine without a display fails. */
final class Headless {
  private Headless() {}

  static void ensure() {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }
}
