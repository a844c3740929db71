package io.outpost.security.internal.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request as the workload API reads it from a unix socket (give it a buffered stream): request line,
 * headers (at most {@value #MAX_HEAD} bytes) and a {@code Content-Length} body (at most {@value #MAX_BODY} bytes).
 * Chunked bodies are refused: the SDKs send small JSON bodies with a length. A request with two
 * {@code Content-Length} headers is refused, as RFC 9112 asks.
 */
record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {

    static final int MAX_HEAD = 8192;
    static final int MAX_BODY = 64 * 1024;

    /** Thrown for a request that is not well-formed; carries the HTTP status to answer with. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Reads the next request, or empty when the client closed the connection between requests. */
    static Optional<HttpRequest> read(InputStream in) throws IOException, BadRequest {
        String head = readHead(in);
        if (head == null) {
            return Optional.empty();
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line '" + lines[0] + "'");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line '" + lines[i] + "'");
            }
            String name = lines[i].substring(0, colon).trim();
            String previous = headers.put(name, lines[i].substring(colon + 1).trim());
            if (previous != null && name.equalsIgnoreCase("Content-Length")) {
                // two lengths make the body's end ambiguous (request smuggling): refuse rather than pick one
                throw new BadRequest(400, "duplicate Content-Length header");
            }
        }
        if (headers.containsKey("Transfer-Encoding")) {
            throw new BadRequest(411, "send the body with Content-Length, not Transfer-Encoding");
        }
        String target = requestLine[1];
        int q = target.indexOf('?');
        return Optional.of(new HttpRequest(requestLine[0].toUpperCase(Locale.ROOT), q < 0 ? target : target.substring(0, q),
                query(q < 0 ? "" : target.substring(q + 1)), headers, readBody(in, headers)));
    }

    private static String readHead(InputStream in) throws IOException, BadRequest {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new BadRequest(400, "connection closed inside the request head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new BadRequest(431, "request head larger than " + MAX_HEAD + " bytes");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException, BadRequest {
        String length = headers.get("Content-Length");
        if (length == null) {
            return new byte[0];
        }
        int n;
        try {
            if (!length.matches("[0-9]{1,10}")) {
                throw new NumberFormatException(length);
            }
            n = Integer.parseInt(length);
        } catch (NumberFormatException e) {
            if (length.matches("[0-9]+")) {
                throw new BadRequest(413, "body of " + abbreviate(length) + " bytes; at most " + MAX_BODY
                        + " are accepted");
            }
            throw new BadRequest(400, "Content-Length '" + abbreviate(length) + "' is not a number of bytes");
        }
        if (n < 0 || n > MAX_BODY) {
            throw new BadRequest(413, "body of " + n + " bytes; at most " + MAX_BODY + " are accepted");
        }
        byte[] body = in.readNBytes(n);
        if (body.length != n) {
            throw new BadRequest(400, "body shorter than its Content-Length");
        }
        return body;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static Map<String, String> query(String text) {
        Map<String, String> q = new TreeMap<>();
        for (String pair : text.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                q.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return q;
    }
}
