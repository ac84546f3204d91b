package org.jgrad.playground;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The playground's JSON, through one shared (thread-safe) Jackson mapper: strict parsing of request
 * bodies and compact writing of the state frames.
 *
 * <p>Not jgrad-core's {@code org.jgrad.io.Json}: that one is a JDK-only reader of safetensors
 * headers (integers only, errors carry a file and byte offset as a {@code SafeTensorsException}),
 * while the playground reads fractional settings such as a learning rate, answers with HTTP 400s
 * and writes large nested frames, which a well-kept library does better than a hand-written writer.
 *
 * <p>Strict means: one JSON value and nothing after it but whitespace, no duplicate keys at any
 * depth, no integer beyond the signed 64-bit range (Jackson would keep it as a {@code BigInteger}
 * whose {@code asLong()} wraps: 2^64+4 would read as 4), no number that is infinite as a double
 * ({@code 1e999}), nesting at most 8 deep, strings at most 1000 characters.
 */
final class PlaygroundJson {
    private PlaygroundJson() {}

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8).maxStringLength(1000).maxNumberLength(40).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a request body; an empty body means no settings.
     *
     * @throws ApiException (400) saying what is wrong, for anything but one strict JSON value
     */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) return null;
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + Config.clip(String.valueOf(e.getOriginalMessage())));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body is not valid JSON");
        }
        checkNumbers(root, "body");
        return root;
    }

    /** Refuses the numbers that Jackson parses but a setting must never see wrapped or infinite. */
    private static void checkNumbers(JsonNode node, String where) {
        if (node.isBigInteger())
            throw ApiException.badRequest(where + ": integer " + Config.clip(node.asText()) + " is beyond the 64-bit range");
        if (node.isNumber() && !node.isIntegralNumber() && !Double.isFinite(node.asDouble()))
            throw ApiException.badRequest(where + ": number is too large to be a double");
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) checkNumbers(node.get(i), where + "[" + i + "]");
        } else if (node.isObject()) {
            for (var it = node.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                checkNumbers(e.getValue(), where + "." + Config.clip(e.getKey()));
            }
        }
    }

    static byte[] error(String message) {
        return bytes(Map.of("error", message));
    }
}
