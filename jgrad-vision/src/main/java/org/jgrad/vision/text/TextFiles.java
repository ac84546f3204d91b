package org.jgrad.vision.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.data.DataFormatException;
import org.jgrad.io.MemoryBudget;

/** Reading text files strictly: UTF-8 only, sized against the memory budget before reading. */
public final class TextFiles {
    private TextFiles() {}

    /**
     * The text of {@code file}.
     *
     * @throws DataFormatException when the file is not valid UTF-8 (naming the byte offset), or when its
     *     text would not fit the memory budget
     */
    public static String readUtf8(Path file) throws IOException {
        long size = Files.size(file);
        // bytes, then up to 2 bytes of char per byte
        long need = size * 3;
        if (size > Integer.MAX_VALUE - 8 || !MemoryBudget.allows(need))
            throw new DataFormatException(file + ": a " + size + "-byte text file; reading it " + MemoryBudget.refusal(need,
                    "its bytes and characters"));
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError())
            throw new DataFormatException(file + " (byte offset " + in.position() + "): not valid UTF-8 (" + r.length()
                    + " bad byte(s)); jgrad reads text files as UTF-8: convert it first, e.g. iconv -f latin1 -t utf-8");
        try {
            r = d.flush(out);
            if (r.isError()) r.throwException();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file + " (byte offset " + bytes.length + "): not valid UTF-8 at the end", e);
        }
        return out.flip().toString();
    }
}
