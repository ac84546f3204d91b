package org.jgrad.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Settings as text properties plus one blob of bytes: how a training plan goes from the driver to
 * the tasks (the blob is the initial weights as safetensors) and how each task's result comes back
 * (the blob is rank 0's trained weights). Layout: a big-endian int with the length of the properties
 * text (UTF-8), the text, the blob. Nothing in it is Java-serialized.
 */
record Envelope(Properties settings, byte[] weights) {

    byte[] encode() {
        StringWriter w = new StringWriter();
        try {
            settings.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] text = w.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + text.length + weights.length);
        out.writeBytes(ByteBuffer.allocate(4).putInt(text.length).array());
        out.writeBytes(text);
        out.writeBytes(weights);
        return out.toByteArray();
    }

    static Envelope decode(byte[] bytes) {
        if (bytes.length < 4) throw new IllegalArgumentException("jgrad-spark: an envelope of " + bytes.length + " bytes");
        int n = ByteBuffer.wrap(bytes).getInt();
        if (n < 0 || n > bytes.length - 4)
            throw new IllegalArgumentException("jgrad-spark: an envelope claims " + n + " bytes of settings but has "
                    + (bytes.length - 4));
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, 4, n, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] weights = java.util.Arrays.copyOfRange(bytes, 4 + n, bytes.length);
        return new Envelope(p, weights);
    }

    String get(String key) {
        return required(settings, key);
    }

    int getInt(String key) {
        return intValue(settings, key);
    }

    long getLong(String key) {
        String v = get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jgrad-spark: setting " + key + "=" + v + " is not an integer");
        }
    }

    static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("jgrad-spark: the envelope has no setting '" + key + "'");
        return v;
    }

    static int intValue(Properties p, String key) {
        String v = required(p, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jgrad-spark: setting " + key + "=" + v + " is not an integer");
        }
    }

    static double doubleValue(Properties p, String key) {
        String v = required(p, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jgrad-spark: setting " + key + "=" + v + " is not a number");
        }
    }
}
