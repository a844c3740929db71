package io.outpost.cloud.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.web.ApiToken;
import io.outpost.cloud.web.ApiTokens;
import io.outpost.cloud.web.FieldException;
import io.outpost.common.OutpostException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API at {@code /api/v1/*}: authenticates the bearer token, checks its scope, dispatches by
 * {@link CloudApi#routes()} and writes JSON. Every refusal is {@code {"error": {"code", "field", "message"}}}.
 * {@code /api/v1/openapi.json} is served without a token.
 */
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    static final String REALM = "outpost-cloud";
    static final String OPENAPI = "io/outpost/cloud/web/internal/openapi.json";

    private final transient CloudApi api;
    private final transient ApiTokens tokens;
    private final int maxBodyBytes;
    private final byte[] openapi;

    public ApiServlet(CloudApi api, ApiTokens tokens, int maxBodyBytes) {
        this.api = api;
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
        try (InputStream in = ApiServlet.class.getClassLoader().getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI + " is missing from the bundle");
            }
            this.openapi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        String path = path(req);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        try {
            if (path.equals("/openapi.json") && (method.equals("GET") || method.equals("HEAD"))) {
                resp.setStatus(200);
                resp.setContentType("application/json");
                resp.setContentLength(openapi.length);
                if (method.equals("GET")) {
                    resp.getOutputStream().write(openapi);
                }
                return;
            }
            List<String> segments = segments(path);
            Route route = null;
            Map<String, String> params = null;
            TreeSet<String> allowed = new TreeSet<>();
            for (Route r : api.routes()) {
                Map<String, String> p = r.match(segments);
                if (p != null) {
                    allowed.add(r.method());
                    if (r.method().equals(method)) {
                        route = r;
                        params = p;
                    }
                }
            }
            if (allowed.isEmpty()) {
                throw new ApiException(404, "api-no-such-path", null, "no API operation at " + req.getRequestURI());
            }
            ApiToken token = authenticate(req, resp);
            if (route == null) {
                resp.setHeader("Allow", String.join(", ", allowed));
                throw new ApiException(405, "api-method-not-allowed", null,
                        method + " is not allowed on " + req.getRequestURI() + "; allowed: " + String.join(", ", allowed));
            }
            if (!token.scope().allows(route.scope())) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", scope=\""
                        + route.scope().wireName() + "\"");
                throw new ApiException(403, "api-forbidden", null, "token " + token.id() + " has scope "
                        + token.scope().wireName() + "; " + method + " " + route.template() + " needs "
                        + route.scope().wireName());
            }
            Route.Call call = new Route.Call(params, query(req), headers(req), field -> body(req, field), token);
            Route.Reply reply = route.handler().handle(call);
            if (!method.equals("GET")) {
                LOG.info("api-change method={} path={} status={} token={}", method, path, reply.status(), token.id());
            }
            write(resp, reply.status(), reply.body(), reply.headers());
        } catch (ApiException e) {
            error(resp, e.status, e.code, e.field, e.getMessage(), Map.of());
        } catch (TargetConditionException e) {
            error(resp, 400, e.errorCode().code(), "targetCondition", e.getMessage(), Map.of("column", e.column()));
        } catch (FieldException e) {
            error(resp, status(e), e.errorCode().code(), e.field().isEmpty() ? null : e.field(), e.getMessage(), Map.of());
        } catch (OutpostException e) {
            error(resp, status(e), e.errorCode().code(), null, e.getMessage(), Map.of());
        } catch (IllegalArgumentException e) {
            error(resp, 400, CloudErrorCode.INVALID_ARGUMENT.code(), null, e.getMessage(), Map.of());
        } catch (RuntimeException e) {
            LOG.error("api-failed method={} path={}", method, path, e);
            error(resp, 500, "api-internal", null, "internal error: " + e.getClass().getSimpleName()
                    + "; see the cloud's log", Map.of());
        }
    }

    private ApiToken authenticate(HttpServletRequest req, HttpServletResponse resp) {
        String header = req.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
            throw new ApiException(401, "api-unauthorized", null, "missing Authorization: Bearer <token>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_request\"");
            throw new ApiException(401, "api-unauthorized", null, "the Authorization header must read: Bearer <token>");
        }
        Optional<ApiToken> token = tokens.authenticate(header.substring(7).strip());
        if (token.isEmpty()) {
            LOG.debug("api-token-refused remote={}", req.getRemoteAddr());
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"");
            throw new ApiException(401, "api-unauthorized", null, "the token is not valid (unknown or revoked)");
        }
        return token.get();
    }

    private static int status(OutpostException e) {
        return e.errorCode() instanceof CloudErrorCode c ? c.httpStatus() : 500;
    }

    /** The path below the servlet, e.g. {@code /devices/gw-1/twin}, still percent-encoded. */
    static String path(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String prefix = req.getContextPath() + req.getServletPath();
        String p = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
        return p.isEmpty() ? "/" : p;
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : Route.segments(rawPath)) {
            try {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, CloudErrorCode.INVALID_ARGUMENT.code(), null, "bad percent-encoding in " + rawPath);
            }
        }
        return out;
    }

    private static Map<String, String> query(HttpServletRequest req) {
        Map<String, String> q = new HashMap<>();
        req.getParameterMap().forEach((k, v) -> q.put(k, v.length == 0 ? "" : v[0]));
        return q;
    }

    private static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> h = new HashMap<>();
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            h.put(name.toLowerCase(Locale.ROOT), req.getHeader(name));
        }
        return h;
    }

    private JsonNode body(HttpServletRequest req, String field) {
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw new ApiException(413, "api-body-too-large", null, "the request body exceeds " + maxBodyBytes + " bytes");
            }
            return Json.parse(new String(bytes, StandardCharsets.UTF_8), field);
        } catch (IOException e) {
            throw new ApiException(400, CloudErrorCode.INVALID_ARGUMENT.code(), null, "the request body could not be read");
        }
    }

    private static void write(HttpServletResponse resp, int status, JsonNode body, Map<String, String> headers)
            throws IOException {
        resp.setStatus(status);
        headers.forEach(resp::setHeader);
        if (body != null) {
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            resp.setContentType("application/json");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    private static void error(HttpServletResponse resp, int status, String code, String field, String message,
            Map<String, Object> extra) throws IOException {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("code", code);
        err.put("field", field);
        err.put("message", message);
        extra.forEach((k, v) -> err.set(k, Json.MAPPER.valueToTree(v)));
        write(resp, status, root, Map.of());
    }
}
