package org.jgrad.monitor.tensorboard;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord framing, the container of TensorBoard event files: per record a little-endian
 * uint64 length, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
 */
public final class TfRecordWriter implements Closeable {
  private final OutputStream out;

  /** Frames records onto {@code out}, which {@link #close} closes. */
  public TfRecordWriter(OutputStream out) {
    this.out = out;
  }

  /** Appends one record. */
  public void write(byte[] data) throws IOException {
    byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(len);
    out.write(intLe(maskedCrc(len, 0, 8)));
    out.write(data);
    out.write(intLe(maskedCrc(data, 0, data.length)));
  }

  /** Pushes buffered records to the file, so TensorBoard sees them while training runs. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * TensorFlow's masked CRC-32C: a CRC of data that contains CRCs is weak, so the stored value is
   * rotated and offset.
   */
  public static int maskedCrc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static byte[] intLe(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
