package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.cli.JgradCommandTest.Result;
import org.junit.jupiter.api.Test;

/** {@code jgrad summary} of the PyTorch-layout zoo entries prints torchvision's and timm's counts. */
class ZooSummaryTest {

  @Test
  void summaryPrintsTorchvisionsCounts() {
    Result m = run("summary", "mobilenet_v2");
    assertEquals(0, m.exitCode(), m.err());
    assertTrue(m.out().contains("Total params: 3,504,872") && m.out().contains("[1, 1000]"), m.out());
    // the multi-output GoogLeNet in eval mode: the main logits, and every parameter counted (aux heads included)
    Result g = run("summary", "googlenet");
    assertEquals(0, g.exitCode(), g.err());
    assertTrue(g.out().contains("Total params: 13,004,888") && g.out().contains("[1, 1000]"), g.out());
    Result x = run("summary", "mobilenetv1_100");
    assertEquals(0, x.exitCode(), x.err());
    assertTrue(x.out().contains("Total params: 4,231,976"), x.out());
  }
}
