package io.outpost.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The cloud's REST API ({@code /api/v1}, docs/cloud.md) as the benchmark uses it, with an admin bearer token.
 * Operations on many devices send up to {@code parallel} requests at a time.
 */
final class CloudRest {

    static final String AGENT = "$edgeAgent";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String token;
    private final int parallel;

    CloudRest(URI base, String token, int parallel) {
        this.base = base;
        this.token = token;
        this.parallel = parallel;
    }

    /** Registers each device with these tags; returns each device's primary SAS key, as the cloud generated it. */
    Map<String, String> registerDevices(List<String> ids, Map<String, String> tags) throws Exception {
        Map<String, String> keys = new ConcurrentHashMap<>();
        forEach(ids, id -> {
            ObjectNode body = JSON.createObjectNode().put("deviceId", id);
            ObjectNode t = body.putObject("tags");
            tags.forEach(t::put);
            return send("POST", "/devices", body.toString(), 201).thenAccept(d -> keys.put(id,
                    d.path("authentication").path("symmetricKey").path("primaryKey").asText()));
        });
        return keys;
    }

    /** Merges {@code desired} into the desired properties of each device's {@code $edgeAgent} twin. */
    void patchAgentDesired(Collection<String> ids, JsonNode desired) throws Exception {
        String body = JSON.createObjectNode().set("properties", JSON.createObjectNode().set("desired", desired))
                .toString();
        forEach(ids, id -> send("PATCH", agentTwin(id), body, 200).thenAccept(t -> { }));
    }

    /**
     * Of these devices, those whose {@code $edgeAgent} twin reports {@code lastDesiredVersion} equal to its desired
     * {@code $version}: each twin read through {@code GET .../modules/$edgeAgent/twin} (the API has no query over
     * reported properties).
     */
    Set<String> acknowledged(Collection<String> ids) throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        forEach(ids, id -> send("GET", agentTwin(id), null, 200).thenAccept(t -> {
            JsonNode props = t.path("properties");
            JsonNode last = props.path("reported").path("lastDesiredVersion");
            if (last.canConvertToLong() && last.asLong() == props.path("desired").path("$version").asLong(-1)) {
                acked.add(id);
            }
        }));
        return acked;
    }

    /** {@code POST /deployments}: creating it applies the fleet. */
    void createDeployment(JsonNode deployment) throws Exception {
        call("POST", "/deployments", deployment.toString(), 201);
    }

    /** The deployment's four counts, as {@code GET /deployments} lists them. */
    JsonNode metrics(String deploymentId) throws Exception {
        for (JsonNode d : call("GET", "/deployments", null, 200)) {
            if (d.path("id").asText().equals(deploymentId)) {
                return d.path("metrics");
            }
        }
        throw new IllegalStateException("no deployment " + deploymentId + " in GET /deployments");
    }

    private static String agentTwin(String deviceId) {
        return "/devices/" + encode(deviceId) + "/modules/" + encode(AGENT) + "/twin";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode call(String method, String path, String body, int expected) throws Exception {
        try {
            return send(method, path, body, expected).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private CompletableFuture<JsonNode> send(String method, String path, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            try {
                return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + " answered no JSON: " + r.body(), e);
            }
        });
    }

    /** Runs {@code request} for each id, {@code parallel} at a time; fails with the first failure once all ended. */
    private void forEach(Collection<String> ids, Function<String, CompletableFuture<Void>> request) throws Exception {
        Semaphore permits = new Semaphore(parallel);
        List<CompletableFuture<Void>> all = new ArrayList<>(ids.size());
        for (String id : ids) {
            permits.acquire();
            CompletableFuture<Void> f = request.apply(id);
            f.whenComplete((ok, e) -> permits.release());
            all.add(f);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
