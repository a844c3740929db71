package io.outpost.security.internal.workload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.outpost.common.OutpostException;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.SasToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload API of Azure IoT Edge as Azure's module SDKs call it: {@code POST
 * /modules/<m>/genid/<g>/sign} signs data with the module's key, {@code GET /trust-bundle} returns the
 * certificates to trust for the hub. Each module has its own socket, so the server knows the caller: a module
 * signs only with its own key.
 */
final class WorkloadApi {

    /** An answer: HTTP status and JSON body. */
    record Response(int status, String json) {
    }

    private static final Pattern SIGN = Pattern.compile("/modules/([^/]+)/genid/([^/]+)/sign");
    private static final JsonFactory JSON = new JsonFactory();

    private final IdentityService identities;
    private final CertificateService certificates;

    WorkloadApi(IdentityService identities, CertificateService certificates) {
        this.identities = identities;
        this.certificates = certificates;
    }

    /** Answers a request that came in on the socket of {@code callerDevice}/{@code callerModule}. */
    Response handle(String callerDevice, String callerModule, HttpRequest request) {
        if (!request.query().containsKey("api-version")) {
            return error(400, "the query parameter api-version is required");
        }
        if (request.path().equals("/trust-bundle")) {
            return request.method().equals("GET") ? new Response(200, object("certificate", certificates.trustBundlePem()))
                    : error(405, "use GET for /trust-bundle");
        }
        Matcher sign = SIGN.matcher(request.path());
        if (sign.matches()) {
            return request.method().equals("POST")
                    ? sign(callerDevice, callerModule, sign.group(1), sign.group(2), request.body())
                    : error(405, "use POST to sign");
        }
        return error(404, "no such resource: " + request.path());
    }

    private Response sign(String deviceId, String caller, String module, String generation, byte[] body) {
        if (!module.equals(caller)) {
            return error(403, "module '" + caller + "' may only sign with its own key, not with the key of '" + module + "'");
        }
        Optional<Identity> identity = identities.find(deviceId, Optional.of(module));
        if (identity.isEmpty() || identity.get().primaryKey().isEmpty()) {
            return error(404, "module '" + module + "' has no identity with a key");
        }
        if (!identity.get().generationId().equals(generation)) {
            return error(400, "genid '" + generation + "' is not the module's current generation");
        }
        Map<String, String> fields;
        try {
            fields = fields(body);
        } catch (IOException e) {
            return error(400, "the body is not a JSON object of strings: " + e.getMessage());
        }
        if (!"primary".equals(fields.get("keyId"))) {
            return error(400, "keyId must be \"primary\", was " + quoted(fields.get("keyId")));
        }
        if (!"HMACSHA256".equals(fields.get("algo"))) {
            return error(400, "algo must be \"HMACSHA256\", was " + quoted(fields.get("algo")));
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(fields.getOrDefault("data", ""));
        } catch (IllegalArgumentException e) {
            return error(400, "data must be base64: " + e.getMessage());
        }
        try {
            String digest = SasToken.sign(new String(data, java.nio.charset.StandardCharsets.UTF_8),
                    identity.get().primaryKey().get());
            return new Response(200, object("digest", digest));
        } catch (OutpostException e) {
            return error(500, e.getMessage());
        }
    }

    private static Map<String, String> fields(byte[] body) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    out.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }

    static Response error(int status, String message) {
        return new Response(status, object("message", message));
    }

    private static String object(String field, String value) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField(field, value);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string cannot fail", e);
        }
        return w.toString();
    }
}
