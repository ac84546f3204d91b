package org.jgrad.vision.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * The characters of a text, each a token: symbol i is the i-th distinct code point in code-point order,
 * so the same text always gives the same numbering. A character-level language model's classes are these
 * symbols (what comes next), and so are its inputs.
 *
 * @param symbols the characters (one code point each), by token id
 */
public record CharVocabulary(List<String> symbols) {

    /** Checks that the symbols are distinct single code points. */
    public CharVocabulary {
        symbols = List.copyOf(symbols);
        if (symbols.isEmpty()) throw new IllegalArgumentException("CharVocabulary: no symbols");
        if (new TreeSet<>(symbols).size() != symbols.size())
            throw new IllegalArgumentException("CharVocabulary: symbols must be distinct");
        for (String s : symbols)
            if (s.codePointCount(0, s.length()) != 1)
                throw new IllegalArgumentException("CharVocabulary: symbol '" + s + "' is not one character");
    }

    /** The distinct characters of {@code text}. */
    public static CharVocabulary of(String text) {
        TreeSet<Integer> cps = new TreeSet<>();
        text.codePoints().forEach(cps::add);
        List<String> out = new ArrayList<>();
        for (int cp : cps) out.add(Character.toString(cp));
        return new CharVocabulary(out);
    }

    /** Number of symbols. */
    public int size() {
        return symbols.size();
    }

    /**
     * The token ids of {@code text}, int64 {@code [characters]}.
     *
     * @throws IllegalArgumentException naming the first character that is not in the vocabulary and where it is
     */
    public Tensor encode(String text) {
        long[] ids = ids(text);
        return TensorData.wrapLongs(ids, ids.length);
    }

    private long[] ids(String text) {
        Map<Integer, Integer> index = index();
        int[] cps = text.codePoints().toArray();
        long[] out = new long[cps.length];
        for (int i = 0; i < cps.length; i++) {
            Integer id = index.get(cps[i]);
            if (id == null)
                throw new IllegalArgumentException("CharVocabulary.encode: character " + describe(cps[i]) + " at position " + i
                        + " is not in the vocabulary");
            out[i] = id;
        }
        return out;
    }

    /**
     * The text of int64 token ids (any shape, read in order).
     *
     * @throws IllegalArgumentException naming the first id that is not a symbol's
     */
    public String decode(Tensor ids) {
        StringBuilder b = new StringBuilder();
        for (long id : ids.contiguous().toLongArray()) {
            if (id < 0 || id >= symbols.size())
                throw new IllegalArgumentException("CharVocabulary.decode: id " + id + " is not in 0.." + (symbols.size() - 1));
            b.append(symbols.get((int) id));
        }
        return b.toString();
    }

    private Map<Integer, Integer> index() {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) m.put(symbols.get(i).codePointAt(0), i);
        return m;
    }

    private static String describe(int cp) {
        return Character.isISOControl(cp) ? String.format("U+%04X", cp) : "'" + Character.toString(cp) + "'";
    }
}
