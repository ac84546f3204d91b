package org.jgrad.playground;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the playground's request parsing: a POST body goes through {@link PlaygroundJson#parse} and
 * {@link Config#apply}, as {@code PlaygroundServer} does for a new or reconfigured session. The body
 * must either give a config a session can be built from, or be refused with a 400 and a message;
 * any other exception would reach the client as a 500.
 */
class PlaygroundRequestFuzzTest {
    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void settings(byte[] body) {
        Config cfg;
        try {
            JsonNode patch = PlaygroundJson.parse(body);
            cfg = Config.defaults().apply(patch);
        } catch (ApiException e) {
            if (e.status() != 400) throw new AssertionError("status " + e.status() + " for a bad body: " + e.getMessage(), e);
            if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("400 without a message", e);
            return;
        }
        // What was accepted must also work: building the session builds its data and network.
        new Session("fuzz", cfg, 0L);
    }
}
