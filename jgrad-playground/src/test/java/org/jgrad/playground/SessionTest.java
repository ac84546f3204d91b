package org.jgrad.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's training logic without HTTP. */
class SessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Config config(String patch) throws Exception {
        return Config.defaults().apply(JSON.readTree(patch));
    }

    private static JsonNode state(Session s) throws Exception {
        return JSON.readTree(s.stateFrame());
    }

    private static double weightMagnitude(Session s) throws Exception {
        double sum = 0;
        for (JsonNode layer : state(s).get("weights")) for (JsonNode row : layer) for (JsonNode w : row) sum += Math.abs(w.asDouble());
        return sum;
    }

    @Test
    void defaultsAreThePlaygroundsOpeningSettings() {
        Config c = Config.defaults();
        assertEquals("circle", c.dataset());
        assertEquals(List.of(4, 2), c.layers());
        assertEquals(List.of("x1", "x2"), c.features());
        assertEquals(0.03, c.learningRate());
        assertEquals(250, c.trainSize());
        var s = new Session("test-session", c, 0);
        assertEquals(0, s.epoch());
        assertTrue(s.testLoss() > 0.1, "an untrained network is far off: " + s.testLoss());
    }

    @Test
    void settingsAreValidatedAsAWhole() throws Exception {
        assertEquals(List.of("x1", "x1x2", "sinx2"), config("{\"features\":[\"sinx2\",\"x1x2\",\"x1\"]}").features(), "canonical order");
        assertEquals("plane", config("{\"problem\":\"regression\"}").dataset());
        assertEquals("circle", config("{\"dataset\":\"plane\"}").apply(JSON.readTree("{\"problem\":\"classification\"}")).dataset());
        var e = assertThrows(ApiException.class, () -> config("{\"ratio\":10,\"batchSize\":60}"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
        e = assertThrows(ApiException.class, () -> config("{\"x\":\"" + "y".repeat(500) + "\"}"));
        assertTrue(e.getMessage().length() < 300, "long input is not echoed back in full");
    }

    @Test
    void sameSeedSameRun() throws Exception {
        Config c = config("{\"dataset\":\"spiral\",\"noise\":10,\"seed\":42}");
        var a = new Session("session-a", c, 0);
        var b = new Session("session-b", c, 0);
        a.step(5);
        b.step(5);
        assertEquals(a.testLoss(), b.testLoss());
        assertEquals(5, a.epoch());
    }

    @Test
    void regressionTrains() throws Exception {
        var s = new Session("regress", config("{\"dataset\":\"plane\",\"learningRate\":0.01,\"seed\":5}"), 0);
        double before = s.testLoss();
        s.step(100);
        assertTrue(s.testLoss() < 0.01 && s.testLoss() < before, "plane regression test loss: " + before + " -> " + s.testLoss());
        assertEquals("regression", s.config().problem());
    }

    @Test
    void regularizationShrinksWeights() throws Exception {
        String base = "\"dataset\":\"gaussian\",\"layers\":[8,8],\"learningRate\":0.03,\"seed\":9";
        var plain = new Session("plain-reg", config("{" + base + "}"), 0);
        var l1 = new Session("l1-reg", config("{" + base + ",\"regularization\":\"l1\",\"regularizationRate\":0.01}"), 0);
        var l2 = new Session("l2-reg", config("{" + base + ",\"regularization\":\"l2\",\"regularizationRate\":0.03}"), 0);
        plain.step(20);
        l1.step(20);
        l2.step(20);
        assertTrue(weightMagnitude(l1) < weightMagnitude(plain), weightMagnitude(l1) + " vs " + weightMagnitude(plain));
        assertTrue(weightMagnitude(l2) < weightMagnitude(plain), weightMagnitude(l2) + " vs " + weightMagnitude(plain));
    }

    @Test
    void onlyWhatChangedIsRebuilt() throws Exception {
        var s = new Session("rebuilds", config("{\"seed\":3}"), 0);
        s.step(3);
        long points = s.pointsVersion();
        s.configure(s.config().apply(JSON.readTree("{\"learningRate\":0.1,\"batchSize\":5}")));
        assertEquals(3, s.epoch(), "learning rate and batch size apply to the running network");
        assertEquals(points, s.pointsVersion());
        s.configure(s.config().apply(JSON.readTree("{\"activation\":\"relu\"}")));
        assertEquals(0, s.epoch(), "a new activation means a new network");
        assertEquals(points, s.pointsVersion(), "on the same data");
        s.configure(s.config().apply(JSON.readTree("{\"noise\":20}")));
        assertNotEquals(points, s.pointsVersion(), "new noise means new points");
        long seed = s.config().seed();
        s.regenerate();
        assertNotEquals(seed, s.config().seed());
    }

    @Test
    void historyStaysBounded() throws Exception {
        var s = new Session("history", config("{\"layers\":[2],\"ratio\":10,\"batchSize\":50}"), 0);
        s.step(600);
        JsonNode h = state(s).get("history");
        assertTrue(h.size() <= 400 && h.size() > 150, "history points: " + h.size());
        assertEquals(0, h.get(0).get(0).asInt());
        assertTrue(h.get(h.size() - 1).get(0).asInt() >= 590);
    }

    @Test
    void aDivergingRunStopsAndReportsNoLoss() throws Exception {
        var s = new Session("diverge", config("{\"dataset\":\"plane\",\"activation\":\"linear\",\"layers\":[8,8,8],"
                + "\"features\":[\"x1sq\",\"x2sq\",\"x1x2\"],\"learningRate\":10}"), 0);
        s.setRunning(true);
        for (int i = 0; i < 50 && s.trainSlice(10_000_000, 5); i++) { }
        assertFalse(s.running(), "training stops once the loss is no longer finite");
        assertTrue(state(s).get("testLoss").isNull() || !Double.isFinite(s.testLoss()));
    }

    @Test
    void closedSessionsWakeTheirReaders() throws Exception {
        var s = new Session("closing", Config.defaults(), 0);
        long v = s.awaitFrame(-1, 10);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                s.awaitFrame(v, 60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.close();
        reader.join(5000);
        assertFalse(reader.isAlive());
        assertFalse(s.trainSlice(1_000_000, 1));
    }
}
