package io.outpost.routing.internal;

import io.outpost.routing.RouteMessage;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One evaluation of one message: gives nodes the message and parses its body at most once, and only
 * when a node asks for it.
 */
final class EvalContext {

    private static final Object NOT_PARSED = new Object();
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    final RouteMessage message;
    private Object json = NOT_PARSED;

    EvalContext(RouteMessage message) {
        this.message = message;
    }

    /**
     * The body as JSON for {@code $body} queries: only when contentType is {@code application/json} and
     * contentEncoding is utf-8, utf-16 or utf-32 (names and values ignoring case); else UNDEFINED.
     */
    Object body() {
        String type = Names.lookup(message.systemProperties(), RouteMessage.CONTENT_TYPE);
        String encoding = Names.lookup(message.systemProperties(), RouteMessage.CONTENT_ENCODING);
        if (type == null || !type.trim().equalsIgnoreCase("application/json") || encoding == null) {
            return Values.UNDEFINED;
        }
        return parsed(encoding);
    }

    /**
     * The body as JSON for {@code twin_change_includes}: twin change notifications are JSON whatever the
     * content type says, UTF-8 unless contentEncoding names utf-16 or utf-32.
     */
    Object twinBody() {
        String encoding = Names.lookup(message.systemProperties(), RouteMessage.CONTENT_ENCODING);
        return parsed(encoding == null ? "utf-8" : encoding);
    }

    private Object parsed(String encoding) {
        if (json == NOT_PARSED) {
            json = parse(encoding);
        }
        return json;
    }

    private Object parse(String encoding) {
        byte[] body = message.body();
        String text = switch (encoding.trim().toLowerCase(Locale.ROOT)) {
            case "utf-8" -> decodeUtf8(body);
            case "utf-16" -> decodeUtf16(body);
            case "utf-32" -> decodeUtf32(body);
            default -> null;
        };
        return text == null ? Values.UNDEFINED : JsonTree.read(text);
    }

    private static String decodeUtf8(byte[] b) {
        int skip = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        return new String(b, skip, b.length - skip, StandardCharsets.UTF_8);
    }

    /** UTF-16 with a byte order mark, else little-endian as .NET's Encoding.Unicode writes it. */
    private static String decodeUtf16(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
        }
        int skip = b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE ? 2 : 0;
        return new String(b, skip, b.length - skip, StandardCharsets.UTF_16LE);
    }

    /** UTF-32 with a byte order mark, else little-endian as .NET's Encoding.UTF32 writes it. */
    private static String decodeUtf32(byte[] b) {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xFF) == 0xFE && (b[3] & 0xFF) == 0xFF) {
            return new String(b, 4, b.length - 4, UTF_32BE);
        }
        boolean le = b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE && b[2] == 0 && b[3] == 0;
        return new String(b, le ? 4 : 0, b.length - (le ? 4 : 0), UTF_32LE);
    }
}
