package io.outpost.cloud.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.web.ApiToken;
import io.outpost.cloud.web.TokenScope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One operation of the REST API: an HTTP method, a path template below {@code /api/v1} whose {@code {name}}
 * segments match one path segment each, the scope a token needs, and the handler.
 */
record Route(String method, String template, TokenScope scope, Handler handler) {

    /** What a handler gets. */
    record Call(Map<String, String> params, Map<String, String> query, Map<String, String> headers,
            Function<String, JsonNode> body, ApiToken token) {

        String param(String name) {
            return params.get(name);
        }

        /** A header by lower-case name. */
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        /** The request body as JSON; a syntax error names {@code field}. */
        JsonNode json() {
            return body.apply("");
        }
    }

    /** What a handler answers: a status, a JSON body (null for none) and extra headers. */
    record Reply(int status, JsonNode body, Map<String, String> headers) {

        static Reply ok(JsonNode body) {
            return new Reply(200, body, Map.of());
        }

        static Reply created(String location, JsonNode body) {
            return new Reply(201, body, Map.of("Location", location));
        }

        static Reply noContent() {
            return new Reply(204, null, Map.of());
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, Map.copyOf(h));
        }
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Call call);
    }

    List<String> segments() {
        return segments(template);
    }

    static List<String> segments(String path) {
        return List.of(path.replaceAll("^/+|/+$", "").split("/", -1));
    }

    /** The path parameters when {@code path} (decoded segments) fits the template; null otherwise. */
    Map<String, String> match(List<String> path) {
        List<String> t = segments();
        if (t.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            String s = t.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                if (path.get(i).isEmpty()) {
                    return null;
                }
                params.put(s.substring(1, s.length() - 1), path.get(i));
            } else if (!s.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }
}
