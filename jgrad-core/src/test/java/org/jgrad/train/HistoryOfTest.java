package org.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A history assembled from epoch logs made elsewhere (a cluster run's results). */
class HistoryOfTest {

    @Test
    void keepsTheLogsInOrderAndTheStopReason() {
        EpochLog a = new EpochLog(1, 10, 0.5, 0.8, Double.NaN, Double.NaN, 0.1, 2), b = new EpochLog(2, 20, 0.4, 0.85, 0.45, 0.82, 0.1, 2);
        List<EpochLog> logs = new ArrayList<>(List.of(a, b));
        History h = History.of(logs, "early stopping");
        logs.clear(); // a copy, not a view of the caller's list
        assertEquals(List.of(a, b), h.epochs());
        assertEquals(b, h.last());
        assertEquals("early stopping", h.stopReason());
        assertThrows(UnsupportedOperationException.class, () -> h.epochs().add(a));
    }

    @Test
    void refusesNullLogsAndAnEmptyReason() {
        EpochLog a = new EpochLog(1, 10, 0.5, 0.8, Double.NaN, Double.NaN, 0.1, 2);
        assertThrows(IllegalArgumentException.class, () -> History.of(List.of(a), " "));
        assertThrows(IllegalArgumentException.class, () -> History.of(Arrays.asList(a, null), "completed"));
    }
}
