package org.jgrad.playground;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The page's files, from the {@code static/} resource folder next to this class, by bare file name
 * only: no slashes, dots-only names or percent-escapes get past the name pattern, so nothing
 * outside that folder can be named. Files found are kept in memory (the page is a few tens of KB),
 * so that serving one never waits on the class loader; {@code index.html} gets the server's API
 * token in place of {@value #TOKEN_PLACEHOLDER}.
 */
final class StaticFiles {
    static final String TOKEN_PLACEHOLDER = "__PLAYGROUND_TOKEN__";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*\\.(html|css|js|svg|png|ico)");
    private static final String ROOT = "static/";

    /** A file's bytes and its media type. */
    record File(byte[] data, String contentType, boolean carriesToken) {}

    private final String token;
    private final Map<String, File> found = new ConcurrentHashMap<>(); // only files that exist: a finite set

    StaticFiles(String token) {
        this.token = token;
    }

    /** The file for a request path ({@code /} is {@code index.html}), or empty. */
    Optional<File> lookup(String rawPath) {
        String name = rawPath.equals("/") ? "index.html" : rawPath.substring(1);
        if (!NAME.matcher(name).matches()) return Optional.empty();
        File f = found.get(name);
        if (f != null) return Optional.of(f);
        f = load(name);
        if (f != null) found.put(name, f);
        return Optional.ofNullable(f);
    }

    private File load(String name) {
        byte[] data;
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) return null;
            data = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean withToken = name.equals("index.html");
        if (withToken) data = new String(data, StandardCharsets.UTF_8).replace(TOKEN_PLACEHOLDER, token).getBytes(StandardCharsets.UTF_8);
        return new File(data, contentType(name), withToken);
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            default -> "application/octet-stream";
        };
    }
}
