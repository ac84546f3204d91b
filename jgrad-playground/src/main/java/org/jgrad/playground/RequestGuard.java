package org.jgrad.playground;

import com.sun.net.httpserver.HttpExchange;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the server. Listening on loopback is not enough: any web page the user opens can
 * send requests to {@code localhost}, so the server also checks
 * <ul>
 *   <li>the {@code Host} header against the names of the bound address ({@code localhost:PORT},
 *       {@code 127.0.0.1:PORT}): a page on {@code evil.example} whose DNS name is rebound to
 *       127.0.0.1 sends {@code Host: evil.example:PORT} and is refused, page and API alike;
 *   <li>the {@code Origin} header, when there is one, against the page's own origin
 *       ({@code http://} + the Host): a cross-origin {@code text/plain} POST needs no preflight,
 *       but it carries its page's Origin;
 *   <li>an API token on every API call: random per server, put into the page when it is served
 *       (a {@code meta} tag that only a same-origin script can read), sent back in the
 *       {@value #TOKEN_HEADER} header, or as the {@code token} query parameter of an event stream
 *       (EventSource cannot set headers).
 * </ul>
 */
final class RequestGuard {
    /** The header an API call carries its token in. */
    static final String TOKEN_HEADER = "X-Playground-Token";

    private final Set<String> hosts;
    private final String token;

    RequestGuard(InetSocketAddress bound) {
        int port = bound.getPort();
        Set<String> names = new LinkedHashSet<>();
        String literal = bound.getAddress().getHostAddress();
        if (bound.getAddress() instanceof Inet6Address) literal = "[" + literal + "]";
        for (String name : List.of("localhost", literal)) {
            names.add(name + ":" + port);
            if (port == 80) names.add(name); // browsers leave the default port out
        }
        hosts = Set.copyOf(names);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        token = HexFormat.of().formatHex(random);
    }

    /** The token the page is given and every API call must carry. */
    String token() {
        return token;
    }

    /** Checks Host and Origin, for every request. */
    void checkSource(HttpExchange ex) {
        var h = ex.getRequestHeaders();
        List<String> host = h.get("Host");
        if (host == null || host.size() != 1)
            throw new ApiException(400, "a request needs exactly one Host header");
        String name = host.getFirst().trim().toLowerCase(Locale.ROOT);
        if (!hosts.contains(name))
            throw new ApiException(403, "Host '" + Config.clip(name) + "' is not this server (it answers to "
                    + String.join(", ", hosts.stream().sorted().toList()) + ")");
        List<String> origin = h.get("Origin");
        if (origin != null) {
            String own = "http://" + name;
            if (origin.size() != 1 || !origin.getFirst().trim().toLowerCase(Locale.ROOT).equals(own))
                throw new ApiException(403, "cross-origin request refused: Origin '" + Config.clip(String.join(",", origin))
                        + "' is not the page's own (" + own + ")");
        }
    }

    /** Checks the API token, from the header or, for an event stream, the query. */
    void checkToken(HttpExchange ex, boolean queryAllowed) {
        String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (given == null && queryAllowed) given = queryToken(ex.getRequestURI().getRawQuery());
        if (given == null)
            throw new ApiException(403, "missing API token: send the page's token in the " + TOKEN_HEADER + " header");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))
            throw new ApiException(403, "wrong API token (the server was restarted? reload the page)");
    }

    private static String queryToken(String rawQuery) {
        if (rawQuery == null) return null;
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("token=")) return pair.substring(6);
        }
        return null;
    }
}
