package org.jgrad.monitor.tensorboard;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TensorBoard event file ({@code events.out.tfevents.<seconds>.<host>}) holding scalar
 * summaries. Each record is a {@code tensorflow.Event} protobuf: {@code wall_time = 1} (double),
 * {@code step = 2} (int64), {@code file_version = 3} (string, the first record's
 * {@code "brain.Event:2"}), {@code summary = 5} (a {@code Summary} whose repeated {@code value = 1}
 * holds {@code tag = 1} and {@code simple_value = 2} (float)).
 */
public final class EventFileWriter implements Closeable {
  /** The version string TensorBoard expects in the first event. */
  public static final String FILE_VERSION = "brain.Event:2";

  private final Path file;
  private final TfRecordWriter records;

  /** Creates a new event file in {@code dir} and writes the version event. */
  public EventFileWriter(Path dir) throws IOException {
    Files.createDirectories(dir);
    long now = System.currentTimeMillis();
    Path f = dir.resolve("events.out.tfevents." + now / 1000 + "." + hostName());
    // Two writers started within a second (a quick resume) must not share a file.
    for (int i = 1; Files.exists(f); i++) f = dir.resolve("events.out.tfevents." + now / 1000 + "." + hostName() + "." + i);
    file = f;
    records = new TfRecordWriter(new BufferedOutputStream(Files.newOutputStream(file)));
    records.write(event(now / 1000.0, 0, FILE_VERSION, null));
    records.flush();
  }

  /** The event file. */
  public Path file() {
    return file;
  }

  /** Appends one scalar at {@code step}. */
  public void scalar(String tag, double value, long step) throws IOException {
    records.write(event(System.currentTimeMillis() / 1000.0, step, null, summary(tag, (float) value)));
  }

  /** Makes the written events visible to readers. */
  public void flush() throws IOException {
    records.flush();
  }

  @Override
  public void close() throws IOException {
    records.close();
  }

  private static byte[] summary(String tag, float value) throws IOException {
    byte[] v = message(o -> {
      o.writeString(1, tag);
      o.writeFloat(2, value);
    });
    return message(o -> o.writeByteArray(1, v));
  }

  private static byte[] event(double wallTime, long step, String fileVersion, byte[] summary) throws IOException {
    return message(o -> {
      o.writeDouble(1, wallTime);
      o.writeInt64(2, step);
      if (fileVersion != null) o.writeString(3, fileVersion);
      if (summary != null) o.writeByteArray(5, summary); // same wire format as an embedded message
    });
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }
}
