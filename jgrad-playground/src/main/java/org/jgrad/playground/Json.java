package org.jgrad.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;

/** The one shared (thread-safe) Jackson mapper, with limits suited to small settings bodies. */
final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(1000).maxNumberLength(40).build())
            .build());

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a request body; an empty body means no settings. */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) return null;
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + Config.clip(String.valueOf(e.getOriginalMessage())));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body is not valid JSON");
        }
    }

    static byte[] error(String message) {
        return bytes(Map.of("error", message));
    }
}
