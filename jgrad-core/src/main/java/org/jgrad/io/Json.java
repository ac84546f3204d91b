package org.jgrad.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The strict subset of JSON that safetensors headers need, kept inside the package because jgrad-core
 * depends on nothing but the JDK. Reading accepts RFC 8259 objects, arrays, strings, integers and the
 * three literals, and rejects what a header never legitimately contains: fractions and exponents,
 * duplicate keys, unpaired surrogates, invalid UTF-8, nesting deeper than {@link #MAX_DEPTH}. Every
 * value remembers its absolute byte offset in the file so errors can point at it.
 */
final class Json {
    /** Headers nest three deep; anything far beyond that is an attack on the parser's stack. */
    static final int MAX_DEPTH = 64;

    sealed interface Value permits Obj, Arr, Str, Int, Lit {
        /** Absolute byte offset of the value's first byte in the file. */
        long offset();
    }

    record Obj(long offset, LinkedHashMap<String, Value> members) implements Value {}

    record Arr(long offset, List<Value> items) implements Value {}

    record Str(long offset, String value) implements Value {}

    record Int(long offset, long value) implements Value {}

    /** {@code true}, {@code false} or {@code null}: parsed only so that errors can say "expected a string". */
    record Lit(long offset, String text) implements Value {}

    private final byte[] b;
    private final int end;
    private final long base;
    private final Path file;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int pos;

    private Json(byte[] bytes, long base, Path file) {
        this.b = bytes;
        this.end = bytes.length;
        this.base = base;
        this.file = file;
    }

    /**
     * Parses a header: one JSON object starting at the first byte (as the reference requires),
     * followed only by whitespace.
     *
     * @param base absolute file offset of {@code bytes[0]}, for error messages
     */
    static Obj parseObject(byte[] bytes, long base, Path file) throws SafeTensorsException {
        Json p = new Json(bytes, base, file);
        if (bytes.length == 0 || bytes[0] != '{') throw p.error(0, "header does not start with '{'");
        Value v = p.value(0);
        p.skipWhitespace();
        if (p.pos != p.end) throw p.error(p.pos, "unexpected data after the header's JSON object");
        return (Obj) v;
    }

    private SafeTensorsException error(int at, String problem) {
        return new SafeTensorsException(file, null, base + at, "invalid header JSON: " + problem);
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private Value value(int depth) throws SafeTensorsException {
        skipWhitespace();
        if (pos >= end) throw error(pos, "unexpected end of header");
        return switch (b[pos]) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> new Str(base + pos, string());
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (b[pos] == '-' || (b[pos] >= '0' && b[pos] <= '9')) yield number();
                throw error(pos, "unexpected character " + describe(b[pos]));
            }
        };
    }

    private static String describe(byte c) {
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("0x%02X", c & 0xFF);
    }

    private Obj object(int depth) throws SafeTensorsException {
        if (depth >= MAX_DEPTH) throw error(pos, "nesting deeper than " + MAX_DEPTH);
        int start = pos++;
        LinkedHashMap<String, Value> members = new LinkedHashMap<>();
        skipWhitespace();
        if (pos < end && b[pos] == '}') {
            pos++;
            return new Obj(base + start, members);
        }
        while (true) {
            skipWhitespace();
            if (pos >= end) throw error(pos, "unexpected end of header inside an object");
            if (b[pos] != '"') throw error(pos, "expected a string key, found " + describe(b[pos]));
            int keyPos = pos;
            String key = string();
            if (members.containsKey(key)) throw error(keyPos, "duplicate key " + SafeTensorsException.quote(key));
            skipWhitespace();
            if (pos >= end || b[pos] != ':') throw error(pos, "expected ':' after key " + SafeTensorsException.quote(key));
            pos++;
            members.put(key, value(depth + 1));
            skipWhitespace();
            if (pos >= end) throw error(pos, "unexpected end of header inside an object");
            if (b[pos] == ',') {
                pos++;
            } else if (b[pos] == '}') {
                pos++;
                return new Obj(base + start, members);
            } else {
                throw error(pos, "expected ',' or '}', found " + describe(b[pos]));
            }
        }
    }

    private Arr array(int depth) throws SafeTensorsException {
        if (depth >= MAX_DEPTH) throw error(pos, "nesting deeper than " + MAX_DEPTH);
        int start = pos++;
        List<Value> items = new ArrayList<>();
        skipWhitespace();
        if (pos < end && b[pos] == ']') {
            pos++;
            return new Arr(base + start, items);
        }
        while (true) {
            items.add(value(depth + 1));
            skipWhitespace();
            if (pos >= end) throw error(pos, "unexpected end of header inside an array");
            if (b[pos] == ',') {
                pos++;
            } else if (b[pos] == ']') {
                pos++;
                return new Arr(base + start, items);
            } else {
                throw error(pos, "expected ',' or ']', found " + describe(b[pos]));
            }
        }
    }

    private Lit literal(String text) throws SafeTensorsException {
        int start = pos;
        for (int i = 0; i < text.length(); i++) {
            if (pos + i >= end || b[pos + i] != text.charAt(i)) throw error(start, "invalid literal, expected " + text);
        }
        pos += text.length();
        return new Lit(base + start, text);
    }

    private Int number() throws SafeTensorsException {
        int start = pos;
        boolean negative = b[pos] == '-';
        if (negative) pos++;
        if (pos >= end || b[pos] < '0' || b[pos] > '9') throw error(start, "'-' not followed by a digit");
        if (b[pos] == '0' && pos + 1 < end && b[pos + 1] >= '0' && b[pos + 1] <= '9')
            throw error(start, "number with a leading zero");
        // Accumulate negatively so that Long.MIN_VALUE parses; overflow is an error, never a wrap.
        long acc = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            int d = b[pos] - '0';
            if (acc < (Long.MIN_VALUE + d) / 10) throw error(start, "integer out of the 64-bit range");
            acc = acc * 10 - d;
            pos++;
        }
        if (pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E'))
            throw error(start, "non-integer numbers are not allowed in a safetensors header");
        if (!negative) {
            if (acc == Long.MIN_VALUE) throw error(start, "integer out of the 64-bit range");
            acc = -acc;
        }
        return new Int(base + start, acc);
    }

    private String string() throws SafeTensorsException {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        int run = pos;
        boolean ascii = true;
        while (true) {
            if (pos >= end) throw error(start, "unterminated string");
            int c = b[pos] & 0xFF;
            if (c == '"') {
                appendRun(sb, run, pos, ascii);
                pos++;
                return sb.toString();
            } else if (c == '\\') {
                appendRun(sb, run, pos, ascii);
                escape(sb);
                run = pos;
                ascii = true;
            } else if (c < 0x20) {
                throw error(pos, "unescaped control character " + describe((byte) c) + " in a string");
            } else {
                if (c >= 0x80) ascii = false;
                pos++;
            }
        }
    }

    private void appendRun(StringBuilder sb, int from, int to, boolean ascii) throws SafeTensorsException {
        if (from == to) return;
        if (ascii) {
            for (int i = from; i < to; i++) sb.append((char) b[i]);
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        utf8.reset();
        CoderResult r = utf8.decode(in, out, true);
        if (!r.isError()) r = utf8.flush(out);
        if (r.isError()) throw error(in.position(), "invalid UTF-8 in a string");
        sb.append(out.flip());
    }

    private void escape(StringBuilder sb) throws SafeTensorsException {
        int at = pos++;
        if (pos >= end) throw error(at, "unterminated escape");
        byte e = b[pos++];
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char c = hex4(at);
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 < end && b[pos] == '\\' && b[pos + 1] == 'u') {
                        int lowAt = pos;
                        pos += 2;
                        char low = hex4(lowAt);
                        if (!Character.isLowSurrogate(low))
                            throw error(lowAt, "high surrogate not followed by a low surrogate");
                        sb.append(c).append(low);
                    } else {
                        throw error(at, "unpaired high surrogate \\u" + Integer.toHexString(c));
                    }
                } else if (Character.isLowSurrogate(c)) {
                    throw error(at, "unpaired low surrogate \\u" + Integer.toHexString(c));
                } else {
                    sb.append(c);
                }
            }
            default -> throw error(at, "invalid escape \\" + (char) (e & 0xFF));
        }
    }

    private char hex4(int escapeStart) throws SafeTensorsException {
        if (pos + 4 > end) throw error(escapeStart, "truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(b[pos + i], 16);
            if (d < 0) throw error(escapeStart, "invalid hex digit in \\u escape");
            v = (v << 4) | d;
        }
        pos += 4;
        return (char) v;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Appends {@code s} as a JSON string, escaping exactly as serde_json (the reference writer) does,
     * so our headers are byte-identical to its: quote, backslash and C0 controls only; everything else,
     * including non-ASCII, is written raw.
     *
     * @throws IllegalArgumentException if {@code s} has an unpaired surrogate (not encodable as UTF-8)
     */
    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("string has an unpaired surrogate at index " + i
                                + " and cannot be written as UTF-8: " + s.substring(0, i) + "...");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
