package org.jgrad.vision.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDataTest {
    @TempDir Path dir;

    @Test
    void charactersAreNumberedInCodePointOrderAndRoundTrip() {
        CharVocabulary v = CharVocabulary.of("hello, wörld 🙂");
        assertEquals(List.of(" ", ",", "d", "e", "h", "l", "o", "r", "w", "ö", "🙂"), v.symbols());
        Tensor ids = v.encode("wörld 🙂");
        assertArrayEquals(new long[] {8, 9, 7, 5, 2, 0, 10}, ids.toLongArray());
        assertEquals("wörld 🙂", v.decode(ids));
        var e = assertThrows(IllegalArgumentException.class, () -> v.encode("hex"));
        assertTrue(e.getMessage().contains("character 'x' at position 2"), e.getMessage());
    }

    @Test
    void windowsPredictTheNextCharacterAndTheTestTextIsTheEnd() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) b.append((char) ('a' + i % 26));
        CharCorpus c = CharCorpus.of(b.toString());
        CharCorpus.Split s = c.split(8);
        // 90 training characters: 11 windows of 8 (the 9th character of the last one is the target); 10 test: 1
        assertArrayEquals(new int[] {11, 8}, s.train().inputTensor().shape());
        assertArrayEquals(new int[] {1, 8}, s.test().targetTensor().shape());
        long[] x = s.train().inputTensor().toLongArray(), y = s.train().targetTensor().toLongArray();
        for (int i = 0; i < x.length; i++) assertEquals((x[i] + 1) % 26, y[i]);
        assertEquals("m", c.vocabulary().decode(s.test().inputTensor().select(0, 0).narrow(0, 0, 1))); // character 90
        assertThrows(IllegalArgumentException.class, () -> c.split(20));
    }

    @Test
    void invalidUtf8IsRefusedWithItsOffset() throws Exception {
        Path f = dir.resolve("latin1.txt");
        byte[] text = "caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(text, 5);
        bytes[3] = (byte) 0xE9; // 'é' in Latin-1
        bytes[4] = '!';
        Files.write(f, bytes);
        var e = assertThrows(DataFormatException.class, () -> TextFiles.readUtf8(f));
        assertTrue(e.getMessage().startsWith(f + " (byte offset 3): not valid UTF-8"), e.getMessage());
        Files.writeString(f, "too short");
        var s = assertThrows(DataFormatException.class, () -> CharCorpus.read(f));
        assertTrue(s.getMessage().contains("9 characters are too few"), s.getMessage());
    }

    @Test
    void aTextFolderSplitsByClassAndBuildsWordsFromTrainingOnly() throws Exception {
        for (int i = 0; i < 20; i++) {
            write("ham/h" + i + ".txt", "meeting notes for the project, see you at lunch " + i);
            write("spam/s" + i + ".txt", "WIN money now!!! click here, free money " + (100 + i));
        }
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(TextFolder.looksLikeTextFolder(dir));
        TextFolder.Result r = TextFolder.load(dir, 100, 12, 0.1, 1);
        assertEquals(List.of("ham", "spam"), r.classNames());
        assertArrayEquals(new int[] {36, 12}, r.train().inputTensor().shape());
        assertArrayEquals(new int[] {4, 12}, r.test().inputTensor().shape());
        long[] y = r.test().targetTensor().toLongArray();
        assertEquals(2, java.util.Arrays.stream(y).filter(v -> v == 1).count(), "stratified");
        assertEquals(List.of("<pad>", "<unk>"), r.vocabulary().words().subList(0, 2));
        assertTrue(r.vocabulary().words().contains("money"));
        // numbers occur once each: not in the vocabulary
        assertFalse(r.vocabulary().words().contains("7"));
        long[] ids = r.vocabulary().encode("free money, zebra", 5).toLongArray();
        assertEquals(WordVocabulary.UNKNOWN, ids[2]);
        assertArrayEquals(new long[] {0, 0}, java.util.Arrays.copyOfRange(ids, 3, 5));
        assertArrayEquals(new long[] {WordVocabulary.UNKNOWN, 0}, r.vocabulary().encode("", 2).toLongArray());
    }

    @Test
    void aFolderWithOneClassIsRefused() throws Exception {
        write("only/a.txt", "hello");
        assertFalse(TextFolder.looksLikeTextFolder(dir));
        var e = assertThrows(DataFormatException.class, () -> TextFolder.load(dir, 100, 10, 0.1, 1));
        assertTrue(e.getMessage().contains("at least two class folders"), e.getMessage());
    }

    private void write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }
}
