package org.jgrad.vision.datasets;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.data.Dataset;
import org.jgrad.data.Sample;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Resize;

/**
 * Moving-MNIST-style video clips, a standard synthetic benchmark (after Srivastava et al., 2015), made
 * from Fashion-MNIST (or MNIST) images for the lectures' two-stream video example. Each clip is
 * {@code [frames, side, side]}: one image, shrunk to {@code objectSide} pixels, moves in a straight line
 * across a black canvas that wraps around at the edges (a torus, so that where the object is in one
 * frame says nothing about where it goes), {@code 1..maxSpeed} pixels a frame.
 *
 * <p>A clip's class is an "action": what moves and how. There are {@link #DIRECTIONS four directions}
 * and two kinds of object (Fashion-MNIST: clothing, labels 0-4 and 6, or shoes and bags, labels 5, 7, 8,
 * 9; MNIST: digits 0-4 or 5-9), so 8 classes such as {@code clothing-left}. A single frame shows the kind
 * but not the direction; frame differences show the direction and, less clearly, the kind; together they
 * give the class. Clips are rendered when a sample is read, from a few numbers per clip, so a data set of
 * any size costs little memory; the same seed gives the same clips.
 */
public final class MovingMnist implements Dataset {

    /** The directions of motion, in label order. */
    public static final List<String> DIRECTIONS = List.of("right", "left", "down", "up");

    private static final int[][] STEP = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}; // dx, dy

    /**
     * Clip sizes.
     *
     * @param frames frames per clip (at least 2)
     * @param side canvas width and height
     * @param objectSide the images' size on the canvas
     * @param maxSpeed largest speed, pixels per frame
     */
    public record Settings(int frames, int side, int objectSide, int maxSpeed) {
        /** Checks the sizes. */
        public Settings {
            if (frames < 2 || side < 1 || objectSide < 1 || objectSide > side || maxSpeed < 1)
                throw new IllegalArgumentException("MovingMnist.Settings: need frames >= 2, 1 <= objectSide <= side and"
                        + " maxSpeed >= 1, got " + frames + ", " + side + ", " + objectSide + ", " + maxSpeed);
        }

        /** 8 frames of 32×32, objects 16×16, up to 3 pixels a frame. */
        public static Settings standard() {
            return new Settings(8, 32, 16, 3);
        }
    }

    private final Settings settings;
    private final float[] objects; // [clips, objectSide, objectSide]
    private final int[] direction, speed, x0, y0;
    private final long[] labels;

    private MovingMnist(Settings s, float[] objects, int[] direction, int[] speed, int[] x0, int[] y0, long[] labels) {
        this.settings = s;
        this.objects = objects;
        this.direction = direction;
        this.speed = speed;
        this.x0 = x0;
        this.y0 = y0;
        this.labels = labels;
    }

    /** The 8 class names for Fashion-MNIST images: {@code clothing-right, ..., shoes-bags-up}. */
    public static List<String> fashionClassNames() {
        return classNames("clothing", "shoes-bags");
    }

    /** The 8 class names for MNIST digits: {@code digits0-4-right, ..., digits5-9-up}. */
    public static List<String> mnistClassNames() {
        return classNames("digits0-4", "digits5-9");
    }

    private static List<String> classNames(String first, String second) {
        List<String> out = new ArrayList<>();
        for (String kind : List.of(first, second)) for (String d : DIRECTIONS) out.add(kind + "-" + d);
        return List.copyOf(out);
    }

    /** The object kind (0 or 1) of a Fashion-MNIST label: clothing, or shoes and bags (5, 7, 8, 9). */
    public static int fashionKind(long label) {
        return label == 5 || label >= 7 ? 1 : 0;
    }

    /** The object kind of an MNIST digit: 0-4 or 5-9. */
    public static int mnistKind(long label) {
        return label >= 5 ? 1 : 0;
    }

    /**
     * {@code clips} clips from random images of {@code images} ({@code [N, 1, H, W]}, labels as in the source
     * data set), classed by {@code kind} (e.g. {@link #fashionKind}) and direction.
     */
    public static MovingMnist of(TensorDataset images, java.util.function.LongToIntFunction kind, int clips, Settings s,
            long seed) {
        if (clips < 1) throw new IllegalArgumentException("MovingMnist: clips must be positive, got " + clips);
        int[] shape = images.inputTensor().shape();
        if (shape.length != 4 || shape[1] != 1)
            throw new IllegalArgumentException("MovingMnist: expected grey images [N, 1, H, W], got " + java.util.Arrays.toString(shape));
        Generator g = new Generator(seed);
        long[] pick = new long[clips];
        for (int i = 0; i < clips; i++) pick[i] = g.nextInt(shape[0]);
        Tensor chosen = images.inputTensor().indexSelect(0, TensorData.wrapLongs(pick, clips));
        float[] obj = Resize.bilinearBatch(chosen, s.objectSide(), s.objectSide()).contiguous().toFloatArray();
        for (int i = 0; i < obj.length; i++) obj[i] = Math.max(0f, Math.min(1f, obj[i]));
        long[] source = images.targetTensor().toLongArray();
        int[] dir = new int[clips], sp = new int[clips], xs = new int[clips], ys = new int[clips];
        long[] y = new long[clips];
        for (int i = 0; i < clips; i++) {
            dir[i] = g.nextInt(DIRECTIONS.size());
            sp[i] = 1 + g.nextInt(s.maxSpeed());
            xs[i] = g.nextInt(s.side());
            ys[i] = g.nextInt(s.side());
            y[i] = (long) kind.applyAsInt(source[(int) pick[i]]) * DIRECTIONS.size() + dir[i];
        }
        return new MovingMnist(s, obj, dir, sp, xs, ys, y);
    }

    /** The clip sizes. */
    public Settings settings() {
        return settings;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Sample get(int index) {
        return new Sample(render(index), TensorData.wrapLongs(new long[] {labels[index]}));
    }

    /** Clip {@code index} as {@code [frames, side, side]}. */
    public Tensor render(int index) {
        int t = settings.frames(), n = settings.side(), o = settings.objectSide();
        float[] out = new float[t * n * n];
        int base = index * o * o;
        int dx = STEP[direction[index]][0] * speed[index], dy = STEP[direction[index]][1] * speed[index];
        for (int f = 0; f < t; f++) {
            int ox = x0[index] + dx * f, oy = y0[index] + dy * f;
            for (int r = 0; r < o; r++) {
                int row = f * n * n + Math.floorMod(oy + r, n) * n;
                for (int c = 0; c < o; c++) {
                    int at = row + Math.floorMod(ox + c, n);
                    out[at] = Math.max(out[at], objects[base + r * o + c]);
                }
            }
        }
        return TensorData.wrap(out, t, n, n);
    }

    @Override
    public List<Tensor> targets() {
        List<Tensor> out = new ArrayList<>(labels.length);
        for (long l : labels) out.add(TensorData.wrapLongs(new long[] {l}));
        return out;
    }

    /** Every label, by clip: int64 {@code [clips]} (a copy). */
    public Tensor labels() {
        return TensorData.wrapLongs(labels.clone(), labels.length);
    }
}
