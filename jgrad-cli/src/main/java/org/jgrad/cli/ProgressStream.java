package org.jgrad.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PrintStream} that forwards to a picocli {@link PrintWriter}: the trainer's callbacks
 * print to streams, and commands print to the writers tests capture.
 */
final class ProgressStream extends OutputStream {
  private final PrintWriter out;
  private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

  private ProgressStream(PrintWriter out) {
    this.out = out;
  }

  static PrintStream over(PrintWriter out) {
    return new PrintStream(new ProgressStream(out), true, StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) {
    pending.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  @Override
  public void flush() {
    out.print(pending.toString(StandardCharsets.UTF_8));
    pending.reset();
    out.flush();
  }
}
