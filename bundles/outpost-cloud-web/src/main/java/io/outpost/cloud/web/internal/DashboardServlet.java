package io.outpost.cloud.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The dashboard's static files at {@code /dashboard/*}, from this bundle: no external network, no CDN. The
 * files hold no data; the page reads everything from the REST API with the token the operator enters.
 */
public final class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ROOT = "io/outpost/cloud/web/internal/dashboard/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = ApiServlet.path(req);
        if (path.equals("/") && !req.getRequestURI().endsWith("/")) {
            resp.sendRedirect(req.getRequestURI() + "/" + (req.getQueryString() == null ? "" : "?" + req.getQueryString()));
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!NAME.matcher(name).matches()) {
            resp.sendError(404);
            return;
        }
        try (InputStream in = DashboardServlet.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            byte[] bytes = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
            resp.setContentLength(bytes.length);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Referrer-Policy", "no-referrer");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
            resp.getOutputStream().write(bytes);
        }
    }
}
