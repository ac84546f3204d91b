package org.jgrad.monitor.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class EventFileWriterTest {

  public record Event(double wallTime, long step, String fileVersion, String tag, float value) {}

  /** Reads TFRecords back, checking both CRCs of every record, and decodes the Event protos. */
  public static List<Event> readEvents(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (buf.hasRemaining()) {
      byte[] len = new byte[8];
      buf.get(len);
      int lenCrc = buf.getInt();
      assertEquals(TfRecordWriter.maskedCrc(len, 0, 8), lenCrc, "length CRC");
      long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
      byte[] data = new byte[(int) n];
      buf.get(data);
      assertEquals(TfRecordWriter.maskedCrc(data, 0, data.length), buf.getInt(), "data CRC");
      events.add(decodeEvent(data));
    }
    return events;
  }

  private static Event decodeEvent(byte[] data) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(data);
    double wall = 0;
    long step = 0;
    String version = null, tag = null;
    float value = Float.NaN;
    for (int t = in.readTag(); t != 0; t = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> wall = in.readDouble();
        case 2 -> step = in.readInt64();
        case 3 -> version = in.readString();
        case 5 -> {
          CodedInputStream summary = CodedInputStream.newInstance(in.readByteArray());
          for (int s = summary.readTag(); s != 0; s = summary.readTag()) {
            assertEquals(1, WireFormat.getTagFieldNumber(s), "Summary.value");
            CodedInputStream v = CodedInputStream.newInstance(summary.readByteArray());
            for (int f = v.readTag(); f != 0; f = v.readTag()) {
              if (WireFormat.getTagFieldNumber(f) == 1) tag = v.readString();
              else if (WireFormat.getTagFieldNumber(f) == 2) value = v.readFloat();
              else v.skipField(f);
            }
          }
        }
        default -> in.skipField(t);
      }
    }
    return new Event(wall, step, version, tag, value);
  }

  @Test
  void scalarsReadBackWithValidCrcs(@TempDir Path dir) throws IOException {
    Path file;
    try (EventFileWriter w = new EventFileWriter(dir)) {
      file = w.file();
      w.scalar("loss", 0.75, 1);
      w.scalar("val_accuracy", 0.9123, 2);
    }
    assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
    List<Event> ev = readEvents(file);
    assertEquals(3, ev.size());
    assertEquals("brain.Event:2", ev.get(0).fileVersion());
    assertTrue(ev.get(0).wallTime() > 1.6e9, "wall time in seconds since the epoch");
    assertEquals(new Event(ev.get(1).wallTime(), 1, null, "loss", 0.75f), ev.get(1));
    assertEquals(new Event(ev.get(2).wallTime(), 2, null, "val_accuracy", 0.9123f), ev.get(2));
  }

  @Test
  void maskedCrcMatchesTensorFlow() {
    // TFRecord's length field for an empty record: tf.io.TFRecordWriter writes these bytes.
    byte[] zeroLength = new byte[8];
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(zeroLength);
    int c = (int) crc.getValue();
    assertEquals(((c >>> 15) | (c << 17)) + 0xa282ead8, TfRecordWriter.maskedCrc(zeroLength, 0, 8));
  }
}
