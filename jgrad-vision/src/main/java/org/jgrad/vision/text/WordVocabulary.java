package org.jgrad.vision.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Words as token ids for a text classifier: id 0 is padding, 1 an unknown word, and 2.. the most frequent
 * words of the training documents (at least twice, ties in alphabetical order), at most {@code maxWords} in
 * all. A word is a run of letters, digits and apostrophes, lower-cased.
 */
public final class WordVocabulary {

    /** Id of padding. */
    public static final int PAD = 0;
    /** Id of a word not in the vocabulary. */
    public static final int UNKNOWN = 1;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    private final List<String> words;
    private final Map<String, Integer> index = new HashMap<>();

    /** A vocabulary of {@code words} by id (entries 0 and 1 are {@code <pad>} and {@code <unk>}). */
    public WordVocabulary(List<String> words) {
        this.words = List.copyOf(words);
        for (int i = 0; i < this.words.size(); i++) index.put(this.words.get(i), i);
    }

    /** The words by id. */
    public List<String> words() {
        return words;
    }

    /** The vocabulary of {@code docs}. */
    public static WordVocabulary build(List<String> docs, int maxWords) {
        if (maxWords < 3) throw new IllegalArgumentException("WordVocabulary: maxWords must be at least 3, got " + maxWords);
        Map<String, Integer> counts = new HashMap<>();
        for (String d : docs) for (String w : words(d)) counts.merge(w, 1, Integer::sum);
        List<Map.Entry<String, Integer>> e = new ArrayList<>(counts.entrySet());
        e.removeIf(x -> x.getValue() < 2);
        e.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> out = new ArrayList<>(List.of("<pad>", "<unk>"));
        for (int i = 0; i < e.size() && out.size() < maxWords; i++) out.add(e.get(i).getKey());
        return new WordVocabulary(out);
    }

    /** Number of ids, padding and unknown included. */
    public int size() {
        return words.size();
    }

    /**
     * The first {@code maxTokens} word ids of {@code doc}, int64 {@code [maxTokens]}, padded with 0; an empty
     * document is one unknown word.
     */
    public Tensor encode(String doc, int maxTokens) {
        return TensorData.wrapLongs(ids(doc, maxTokens), maxTokens);
    }

    /** {@link #encode} as an array. */
    long[] ids(String doc, int maxTokens) {
        long[] out = new long[maxTokens];
        int n = 0;
        for (String w : words(doc)) {
            if (n == maxTokens) break;
            out[n++] = index.getOrDefault(w, UNKNOWN);
        }
        if (n == 0) out[0] = UNKNOWN;
        return out;
    }

    /** The words of a text, lower-cased. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group());
        return out;
    }
}
