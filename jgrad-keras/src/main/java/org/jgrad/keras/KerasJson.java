package org.jgrad.keras;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Parses Keras' JSON (config.json, metadata.json, Keras 2's model_config) with limits that a real
 * config never reaches: nesting 128 deep, strings of 1 MiB, numbers of 1000 digits, duplicate keys
 * refused. A parse failure is a {@link KerasFormatException} naming the entry, line and column.
 */
final class KerasJson {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(128)
                    .maxStringLength(1 << 20)
                    .maxNumberLength(1000)
                    .maxNameLength(1 << 16)
                    .build())
            .build()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private KerasJson() {}

    static JsonNode parse(byte[] bytes, Path file, String where) throws KerasFormatException {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new KerasFormatException(file, where, "invalid JSON" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new KerasFormatException(file, where, "invalid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject())
            throw new KerasFormatException(file, where, "expected a JSON object, found "
                    + (n == null ? "nothing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        return n;
    }
}
