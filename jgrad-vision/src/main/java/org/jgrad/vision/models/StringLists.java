package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists of strings as JSON arrays, for safetensors metadata (whose values must be strings) that
 * other tools can read too.
 */
final class StringLists {
  private StringLists() {}

  /** {@code ["a","b"]} with JSON escapes. */
  public static String encode(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) sb.append(',');
      sb.append('"');
      for (char c : items.get(i).toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
          }
        }
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }

  /** Parses what {@link #encode} writes (any JSON array of strings). */
  public static List<String> decode(String json) {
    List<String> out = new ArrayList<>();
    String s = json.strip();
    if (!s.startsWith("[") || !s.endsWith("]"))
      throw new IllegalArgumentException("not a JSON array of strings: " + json);
    int i = 1, end = s.length() - 1;
    while (true) {
      while (i < end && Character.isWhitespace(s.charAt(i))) i++;
      if (i >= end) break;
      if (s.charAt(i) != '"') throw new IllegalArgumentException("not a JSON array of strings: " + json);
      StringBuilder item = new StringBuilder();
      i++;
      while (i < end && s.charAt(i) != '"') {
        char c = s.charAt(i++);
        if (c != '\\') {
          item.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> item.append('\n');
          case 'r' -> item.append('\r');
          case 't' -> item.append('\t');
          case 'b' -> item.append('\b');
          case 'f' -> item.append('\f');
          case 'u' -> {
            item.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> item.append(e);
        }
      }
      if (i >= end) throw new IllegalArgumentException("unterminated string in " + json);
      out.add(item.toString());
      i++;
      while (i < end && Character.isWhitespace(s.charAt(i))) i++;
      if (i < end && s.charAt(i) == ',') i++;
    }
    return out;
  }
}
