package io.outpost.container.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Creates containers by posting the createOptions JSON tree to the engine's {@code /containers/create}
 * through docker-java's transport, so the JSON is not squeezed through a typed model that would drop fields
 * it does not know.
 */
final class ContainerCreator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final DockerHttpClient http;
    private final String apiPrefix;
    private final Supplier<String> defaultNetworkMode;
    private final DockerErrors errors;

    /**
     * @param apiPrefix {@code /v1.41} or empty for the engine's own API version
     * @param defaultNetworkMode the network mode of containers whose createOptions set none, asked for at each
     *     creation (see {@link ModuleNetwork})
     */
    ContainerCreator(DockerHttpClient http, String apiPrefix, Supplier<String> defaultNetworkMode, DockerErrors errors) {
        this.http = http;
        this.apiPrefix = apiPrefix;
        this.defaultNetworkMode = defaultNetworkMode;
        this.errors = errors;
    }

    /** Creates the container and returns its id. */
    String create(ContainerSpec spec) {
        byte[] body = CreateOptions.toCreateBody(spec, defaultNetworkMode.get());
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(apiPrefix + "/containers/create?name=" + URLEncoder.encode(spec.name(), StandardCharsets.UTF_8))
                .putHeader("Content-Type", "application/json")
                .bodyBytes(body)
                .build();
        String what = "create container " + spec.name();
        try (DockerHttpClient.Response response = http.execute(request)) {
            String text = read(response.getBody());
            if (response.getStatusCode() != 201) {
                throw failure(what, response.getStatusCode(), text);
            }
            JsonNode id = MAPPER.readTree(text).get("Id");
            if (id == null || !id.isTextual()) {
                throw new OutpostException(ContainerErrorCode.ENGINE_ERROR, what + ": the engine's answer has no Id: " + text);
            }
            return id.asText();
        } catch (IOException e) {
            throw errors.unavailable(what, e);
        }
    }

    /**
     * The engine answers some invalid createOptions with 500 rather than 400 (a JSON field of the wrong type,
     * an invalid volume specification); those are reported as invalid createOptions, which are not retried.
     */
    private OutpostException failure(String what, int status, String body) {
        String message = DockerErrors.engineMessage(body);
        if (status == 500 && (message.startsWith("invalid ") || message.startsWith("json: "))) {
            return new OutpostException(ContainerErrorCode.INVALID_CREATE_OPTIONS,
                    what + " failed: " + message + " (HTTP " + status + ")");
        }
        return errors.fromStatus(what, status, body, ContainerErrorCode.IMAGE_NOT_FOUND);
    }

    private static String read(InputStream body) throws IOException {
        if (body == null) {
            return "";
        }
        return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    }
}
