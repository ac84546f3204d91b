package org.jgrad.vision.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;

/**
 * A synthetic spoken-digits data set for the lectures' speech-recognition example: the words
 * "zero" to "nine" spoken by the speech synthesiser espeak-ng (Debian: {@code apt-get install espeak-ng})
 * in several voices (accent + voice variant), speeds and pitches, with white noise added at a random
 * signal-to-noise ratio. It is <em>synthetic</em> speech, much more regular than recordings of people:
 * accuracies on it say that the pipeline (spectrograms, CNN) works, not how well it would recognise
 * human speakers.
 *
 * <p>The train and test sets are split by voice: the test voices (their variants, and one accent) are
 * never heard in training, so the test accuracy measures recognition of unheard voices.
 *
 * <p>{@link #generate} writes the WAV files into a folder laid out for {@link AudioFolder}:
 * {@code train/<word>/<voice>_s<speed>_p<pitch>.wav} and {@code test/...}. Files already there are kept,
 * so an interrupted generation continues where it stopped; each file is written to a temporary name and
 * renamed into place. The default cache is {@code $JGRAD_DATA/speech-digits} or
 * {@code ~/.jgrad/datasets/speech-digits} (about 1,440 files, 45 MB, a few minutes to generate).
 *
 * @param trainVoices espeak-ng voice names for training ({@code en-us+m1}: accent, then variant)
 * @param testVoices held-out voices
 * @param speeds words per minute ({@code -s})
 * @param pitches pitch 0..99 ({@code -p})
 * @param minSnrDb lowest signal-to-noise ratio of the added white noise, in dB
 * @param maxSnrDb highest
 * @param seed seed of the noise
 */
public record SpeechDigits(List<String> trainVoices, List<String> testVoices, List<Integer> speeds, List<Integer> pitches,
        double minSnrDb, double maxSnrDb, long seed) {

    /** The ten words, by label. */
    public static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");

    /** Checks the lists and the noise range. */
    public SpeechDigits {
        trainVoices = List.copyOf(trainVoices);
        testVoices = List.copyOf(testVoices);
        speeds = List.copyOf(speeds);
        pitches = List.copyOf(pitches);
        if (trainVoices.isEmpty() || testVoices.isEmpty() || speeds.isEmpty() || pitches.isEmpty())
            throw new IllegalArgumentException("SpeechDigits: voices, speeds and pitches must not be empty");
        for (String v : trainVoices)
            if (testVoices.contains(v)) throw new IllegalArgumentException("SpeechDigits: voice " + v + " is in both splits");
        for (String v : concat(trainVoices, testVoices))
            if (!v.matches("[A-Za-z0-9+_-]+"))
                throw new IllegalArgumentException("SpeechDigits: voice name '" + v + "' has characters espeak-ng does not use");
        if (!(minSnrDb <= maxSnrDb)) throw new IllegalArgumentException("SpeechDigits: min SNR above max SNR");
    }

    /**
     * The full set: 12 training voices and 4 held-out ones (variants m7, m8, f5 and klatt2 are heard only in
     * testing, and so is the West Midlands accent), 3 speeds (120, 150, 180 words a minute), 3 pitches
     * (30, 50, 70), noise at 5 to 25 dB SNR: 1,080 training and 360 test clips.
     */
    public static SpeechDigits standard() {
        return new SpeechDigits(
                List.of("en-us+m1", "en-us+f1", "en-gb+m2", "en-gb+f2", "en-gb-scotland+m3", "en-gb-scotland+f3",
                        "en-029+m4", "en-029+f4", "en-gb-x-rp+m5", "en-gb-x-rp+klatt", "en-us+croak", "en-gb-x-gbclan+m6"),
                List.of("en-us+m7", "en-gb+f5", "en-gb-x-gbcwmd+m8", "en-029+klatt2"),
                List.of(120, 150, 180), List.of(30, 50, 70), 5, 25, 2026);
    }

    /** A small subset for quick checks: 2 training voices, 1 test voice, one speed and pitch (30 clips). */
    public static SpeechDigits small() {
        return new SpeechDigits(List.of("en-us+m1", "en-gb+f2"), List.of("en-us+m7"), List.of(150), List.of(50), 10, 20, 7);
    }

    /** The default cache folder: {@code $JGRAD_DATA/speech-digits}, else {@code ~/.jgrad/datasets/speech-digits}. */
    public static Path defaultFolder() {
        String env = System.getenv("JGRAD_DATA");
        if (env != null && !env.isBlank()) return Path.of(env, "speech-digits");
        return Path.of(System.getProperty("user.home"), ".jgrad", "datasets", "speech-digits");
    }

    /** The synthesiser's command, {@code espeak-ng}, or {@code -Djgrad.espeak=/path/to/espeak-ng}. */
    public static String synthesizer() {
        return System.getProperty("jgrad.espeak", "espeak-ng");
    }

    /** Whether the synthesiser runs here (it answers {@code --version}). */
    public static boolean synthesizerAvailable() {
        try {
            Process p = new ProcessBuilder(synthesizer(), "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Clips this set holds: voices × words × speeds × pitches. */
    public int size() {
        return (trainVoices.size() + testVoices.size()) * WORDS.size() * speeds.size() * pitches.size();
    }

    /**
     * Writes the missing clips into {@code folder} (see the class comment for the layout) and a
     * {@code README.txt} saying how they were made; returns how many clips were written now.
     *
     * @throws IOException when espeak-ng is missing (the message says how to install it) or fails
     */
    public int generate(Path folder) throws IOException {
        if (!synthesizerAvailable())
            throw new IOException("the speech-digits data set is generated with espeak-ng, which did not run ('"
                    + synthesizer() + " --version'); install it (Debian/Ubuntu: apt-get install espeak-ng) or set"
                    + " -Djgrad.espeak to its path");
        record Job(String word, String voice, int speed, int pitch, Path file) {}
        List<Job> jobs = new ArrayList<>();
        for (String split : List.of("train", "test")) {
            List<String> voices = split.equals("train") ? trainVoices : testVoices;
            for (String word : WORDS) {
                Path dir = folder.resolve(split).resolve(word);
                Files.createDirectories(dir);
                for (String voice : voices)
                    for (int speed : speeds)
                        for (int pitch : pitches) {
                            Path f = dir.resolve(voice + "_s" + speed + "_p" + pitch + ".wav");
                            if (!Files.isRegularFile(f)) jobs.add(new Job(word, voice, speed, pitch, f));
                        }
            }
        }
        // espeak-ng spends most of its time starting up, not computing: a few at once hide that
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Job j : jobs) done.add(pool.submit(() -> {
                speak(j.word(), j.voice(), j.speed(), j.pitch(), j.file());
                return null;
            }));
            for (var f : done) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("generating speech-digits failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating speech-digits", e);
        } finally {
            pool.shutdownNow();
        }
        int written = jobs.size();
        Files.writeString(folder.resolve("README.txt"), describe(), StandardCharsets.UTF_8);
        return written;
    }

    /** What {@code README.txt} in a generated folder says. */
    public String describe() {
        return "Synthetic spoken digits, generated by jgrad (org.jgrad.vision.audio.SpeechDigits) with espeak-ng.\n"
                + "Not recordings of people: speech synthesised in several voices, speeds and pitches, with white noise\n"
                + "added at " + minSnrDb + " to " + maxSnrDb + " dB SNR (seed " + seed + ").\n"
                + "train voices: " + String.join(" ", trainVoices) + "\n"
                + "test voices (never heard in training): " + String.join(" ", testVoices) + "\n"
                + "speeds (words/minute): " + speeds + ", pitches: " + pitches + "\n";
    }

    private void speak(String word, String voice, int speed, int pitch, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        List<String> cmd = List.of(synthesizer(), "-v", voice, "-s", Integer.toString(speed), "-p", Integer.toString(pitch),
                "-w", tmp.toString(), word);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(tmp))
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + ")" + (out.isEmpty() ? "" : ": " + out));
        Audio a = WavFile.read(tmp);
        float[] x = a.mixDown().toFloatArray();
        addNoise(x, noiseSeed(target.getParent().getFileName() + "/" + target.getFileName()));
        WavFile.write(tmp, Audio.mono(TensorData.wrap(x, x.length), a.sampleRate()), 16);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** White noise at an SNR drawn uniformly in [minSnrDb, maxSnrDb], relative to the speech's mean power. */
    private void addNoise(float[] x, long noiseSeed) {
        double power = 0;
        int voiced = 0;
        for (float v : x)
            if (Math.abs(v) > 1e-3) {
                power += v * v;
                voiced++;
            }
        if (voiced == 0) return;
        power /= voiced;
        Generator g = new Generator(noiseSeed);
        double snr = minSnrDb + (maxSnrDb - minSnrDb) * g.nextDouble();
        double sigma = Math.sqrt(power / Math.pow(10, snr / 10));
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(-1, Math.min(1, x[i] + sigma * g.nextGaussian()));
    }

    private long noiseSeed(String name) {
        long h = seed;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) h = h * 1_000_003L + b;
        return h;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SpeechDigits[%d train voices, %d test voices, %d clips]", trainVoices.size(),
                testVoices.size(), size());
    }
}
