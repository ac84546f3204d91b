package org.jgrad.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MovingMnistTest {

    /** Four 8x8 "images" with labels 0, 5, 7, 3: a bright square with one marked corner, so shifts are visible. */
    private static TensorDataset images() {
        float[] x = new float[4 * 64];
        for (int n = 0; n < 4; n++)
            for (int r = 2; r < 6; r++) for (int c = 2; c < 6; c++) x[n * 64 + r * 8 + c] = 0.5f + 0.1f * n;
        for (int n = 0; n < 4; n++) x[n * 64 + 2 * 8 + 2] = 1f;
        return new TensorDataset(TensorData.wrap(x, 4, 1, 8, 8), Tensor.ofLongs(0, 5, 7, 3));
    }

    @Test
    void eachFrameIsThePreviousOneRolledByTheVelocityOnATorus() {
        var s = new MovingMnist.Settings(5, 12, 8, 3);
        MovingMnist mm = MovingMnist.of(images(), MovingMnist::fashionKind, 40, s, 3);
        assertEquals(40, mm.size());
        for (int i = 0; i < mm.size(); i++) {
            float[] clip = mm.render(i).toFloatArray();
            int label = (int) mm.labels().getLong(i), dir = label % 4;
            int[] step = {1, -1, 0, 0};
            int[] stepY = {0, 0, 1, -1};
            int found = -1;
            for (int speed = 1; speed <= 3 && found < 0; speed++)
                if (rolled(clip, 0, 1, step[dir] * speed, stepY[dir] * speed, 12)) found = speed;
            assertTrue(found > 0, "clip " + i + " does not move " + MovingMnist.DIRECTIONS.get(dir));
            for (int f = 1; f < 4; f++)
                assertTrue(rolled(clip, f, f + 1, step[dir] * found, stepY[dir] * found, 12), "clip " + i + " frame " + f);
        }
    }

    @Test
    void labelsAreKindTimesFourPlusDirection() {
        MovingMnist mm = MovingMnist.of(images(), MovingMnist::fashionKind, 200, MovingMnist.Settings.standard(), 1);
        int[] counts = new int[8];
        for (long l : mm.labels().toLongArray()) counts[(int) l]++;
        for (int c : counts) assertTrue(c > 0, java.util.Arrays.toString(counts));
        assertEquals(8, MovingMnist.fashionClassNames().size());
        assertEquals("shoes-bags-up", MovingMnist.fashionClassNames().get(7));
        assertEquals(List.of(0, 1, 1, 0), List.of(MovingMnist.fashionKind(0), MovingMnist.fashionKind(5),
                MovingMnist.fashionKind(7), MovingMnist.fashionKind(3)));
        assertArrayEquals(new int[] {8, 32, 32}, mm.get(0).input().shape());
        assertEquals(mm.labels().getLong(5), mm.get(5).target().getLong());
        assertEquals(mm.labels().getLong(5), mm.targets().get(5).getLong());
    }

    @Test
    void theSameSeedGivesTheSameClips() {
        var s = MovingMnist.Settings.standard();
        MovingMnist a = MovingMnist.of(images(), MovingMnist::mnistKind, 10, s, 9), b = MovingMnist.of(images(),
                MovingMnist::mnistKind, 10, s, 9);
        for (int i = 0; i < 10; i++) assertArrayEquals(a.render(i).toFloatArray(), b.render(i).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new MovingMnist.Settings(1, 32, 16, 3));
        assertThrows(IllegalArgumentException.class, () -> new MovingMnist.Settings(8, 16, 32, 3));
    }

    /** Whether frame b equals frame a shifted by (dx, dy) with wrap-around. */
    private static boolean rolled(float[] clip, int a, int b, int dx, int dy, int n) {
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                if (clip[b * n * n + Math.floorMod(y + dy, n) * n + Math.floorMod(x + dx, n)] != clip[a * n * n + y * n + x])
                    return false;
        return true;
    }
}
