package io.outpost.container.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerOwner;
import io.outpost.container.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContainerOwner OWNER = new ContainerOwner("device-1", "sensor", "42");

    private static JsonNode body(String createOptions, Map<String, String> env, String defaultNetworkMode) throws Exception {
        ContainerSpec spec = new ContainerSpec("sensor", "outpost/sensor:1", createOptions, env, Map.of(), OWNER);
        byte[] bytes = CreateOptions.toCreateBody(spec, defaultNetworkMode);
        return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    }

    private static List<String> texts(JsonNode array) {
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    @Test
    void givenRuntimeBinds_whenMapped_thenAppendedToTheManifestsBindsOnce() throws Exception {
        ContainerSpec spec = new ContainerSpec("sensor", "outpost/sensor:1",
                "{\"hostconfig\":{\"Binds\":[\"/data:/data:ro\"]}}", Map.of(), Map.of(), OWNER)
                .withBinds(List.of("/w/sensor:/var/run/iotedge", "/data:/data:ro"));

        JsonNode body = JSON.readTree(new String(CreateOptions.toCreateBody(spec, ""), StandardCharsets.UTF_8));

        assertThat(texts(body.get("hostconfig").get("Binds"))).containsExactly("/data:/data:ro", "/w/sensor:/var/run/iotedge");
        assertThat(body.get("HostConfig")).isNull();
    }

    @Test
    void givenFullHostConfig_whenMapped_thenEveryFieldIsPassedThroughUnchanged() throws Exception {
        String options = """
                {"HostConfig":{"Binds":["/data:/data:ro"],"Mounts":[{"Type":"volume","Source":"v","Target":"/v"}],
                 "PortBindings":{"8080/tcp":[{"HostPort":"18080"}]},"Devices":[{"PathOnHost":"/dev/ttyUSB0",
                 "PathInContainer":"/dev/ttyUSB0","CgroupPermissions":"rwm"}],"Privileged":true,"CapAdd":["NET_ADMIN"],
                 "NetworkMode":"host","LogConfig":{"Type":"json-file","Config":{"max-size":"10m"}},"ShmSize":67108864},
                 "Cmd":["run","--fast"],"Entrypoint":["/bin/app"],"User":"nobody","ExposedPorts":{"8080/tcp":{}},
                 "Healthcheck":{"Test":["CMD","true"],"Interval":1000000000},"NanoCpus":1500000000,
                 "FutureEngineField":{"keep":[1,2.50,"x"]}}""";

        JsonNode body = body(options, Map.of(), "");

        JsonNode original = JSON.readTree(options);
        assertThat(body.get("HostConfig")).isEqualTo(original.get("HostConfig"));
        for (String field : List.of("Cmd", "Entrypoint", "User", "ExposedPorts", "Healthcheck", "NanoCpus")) {
            assertThat(body.get(field)).as(field).isEqualTo(original.get(field));
        }
        String raw = new String(CreateOptions.toCreateBody(new ContainerSpec("sensor", "outpost/sensor:1", options,
                Map.of(), Map.of(), OWNER), ""), StandardCharsets.UTF_8);
        assertThat(raw).contains("\"FutureEngineField\":{\"keep\":[1,2.50,\"x\"]}");
        assertThat(body.get("Image").asText()).isEqualTo("outpost/sensor:1");
    }

    @Test
    void givenEnvInBoth_whenMerged_thenManifestWinsInPlaceAndNewNamesAreAppendedSorted() throws Exception {
        JsonNode body = body("{\"Env\":[\"A=1\",\"B=2\",\"FLAG\"]}", Map.of("B", "20", "Z", "26", "C", "3"), "");

        assertThat(texts(body.get("Env"))).containsExactly("A=1", "B=20", "FLAG", "C=3", "Z=26");
    }

    @Test
    void givenLowerCaseFieldNames_whenMerged_thenTheExistingFieldsAreReplacedNotDuplicated() throws Exception {
        JsonNode body = body("{\"env\":[\"A=1\"],\"labels\":{\"x\":\"y\"},\"image\":\"other\"}", Map.of("A", "2"), "");

        assertThat(texts(body.get("env"))).containsExactly("A=2");
        assertThat(body.has("Env")).isFalse();
        assertThat(body.get("labels").get("x").asText()).isEqualTo("y");
        assertThat(body.get("image").asText()).isEqualTo("outpost/sensor:1");
        assertThat(body.has("Image")).isFalse();
    }

    @Test
    void givenLabelsInOptionsAndSpec_whenMerged_thenOutpostLabelsAreAddedAndWin() throws Exception {
        ContainerSpec spec = new ContainerSpec("sensor", "img", "{\"Labels\":{\"a\":\"1\",\"io.outpost.managed\":\"false\"}}",
                Map.of(), Map.of("b", "2"), OWNER);

        JsonNode labels = JSON.readTree(CreateOptions.toCreateBody(spec, "")).get("Labels");

        assertThat(labels.get("a").asText()).isEqualTo("1");
        assertThat(labels.get("b").asText()).isEqualTo("2");
        assertThat(labels.get("io.outpost.managed").asText()).isEqualTo("true");
        assertThat(labels.get("io.outpost.device").asText()).isEqualTo("device-1");
        assertThat(labels.get("io.outpost.module").asText()).isEqualTo("sensor");
        assertThat(labels.get("io.outpost.deployment-version").asText()).isEqualTo("42");
        assertThat(labels.get("io.outpost.config-hash").asText()).isEqualTo(spec.configHash());
    }

    @Test
    void givenEmptyOptions_whenMapped_thenBodyHasImageEnvLabelsAndTheNetRawDropOnly() throws Exception {
        JsonNode body = body("", Map.of("A", "1"), "");

        assertThat(body.fieldNames()).toIterable().containsExactly("Image", "Env", "Labels", "HostConfig");
        assertThat(body.get("HostConfig")).isEqualTo(JSON.readTree("{\"CapDrop\":[\"NET_RAW\"]}"));
    }

    @Test
    void givenOptionsThatDoNotAskForNetRaw_whenMapped_thenNetRawIsDroppedBesideTheirOwnDrops() throws Exception {
        assertThat(texts(body("{}", Map.of(), "host").at("/HostConfig/CapDrop"))).containsExactly("NET_RAW");
        assertThat(texts(body("{\"HostConfig\":{\"CapAdd\":[\"NET_ADMIN\"],\"CapDrop\":[\"MKNOD\"]}}", Map.of(), "")
                .at("/HostConfig/CapDrop"))).containsExactly("MKNOD", "NET_RAW");
        JsonNode lower = body("{\"hostConfig\":{\"capDrop\":[\"CHOWN\"]}}", Map.of(), "");
        assertThat(texts(lower.at("/hostConfig/capDrop"))).containsExactly("CHOWN", "NET_RAW");
        assertThat(lower.has("HostConfig")).isFalse();
    }

    @Test
    void givenCapabilitiesInAnyCase_whenMapped_thenWrittenUpperCaseWithoutPrefix() throws Exception {
        JsonNode body = body("{\"hostConfig\":{\"capAdd\":[\"sys_time\",\"CAP_NET_ADMIN\"],\"capDrop\":[\"cap_mknod\"]}}",
                Map.of(), "");

        assertThat(texts(body.at("/hostConfig/capAdd"))).containsExactly("SYS_TIME", "NET_ADMIN");
        assertThat(texts(body.at("/hostConfig/capDrop"))).containsExactly("MKNOD", "NET_RAW");
    }

    @Test
    void givenOptionsThatAskForNetRaw_whenMapped_thenNothingIsDropped() throws Exception {
        for (String asks : List.of("{\"HostConfig\":{\"CapAdd\":[\"NET_RAW\"]}}", "{\"hostconfig\":{\"capadd\":[\"net_raw\"]}}",
                "{\"HostConfig\":{\"CapAdd\":[\"CAP_NET_RAW\"]}}",
                "{\"HostConfig\":{\"CapAdd\":[\"ALL\"]}}", "{\"HostConfig\":{\"Privileged\":true}}",
                "{\"HostConfig\":{\"CapDrop\":[\"ALL\"]}}")) {
            JsonNode body = body(asks, Map.of(), "");
            JsonNode host = body.has("HostConfig") ? body.get("HostConfig") : body.get("hostconfig");
            assertThat(host).as(asks).isEqualTo(JSON.readTree(asks.replace("CAP_NET_RAW", "NET_RAW")
                    .replace("net_raw", "NET_RAW")).elements().next());
        }
        assertThatThrownBy(() -> body("{\"HostConfig\":{\"CapDrop\":\"NET_RAW\"}}", Map.of(), ""))
                .isInstanceOfSatisfying(OutpostException.class, e -> assertThat(e)
                        .hasMessageContaining("HostConfig.CapDrop must be an array"));
    }

    @Test
    void givenDefaultNetworkMode_whenOptionsSetNone_thenItIsApplied() throws Exception {
        assertThat(body("{}", Map.of(), "host").at("/HostConfig/NetworkMode").asText()).isEqualTo("host");
        assertThat(body("{\"HostConfig\":{\"Privileged\":true}}", Map.of(), "host").at("/HostConfig/NetworkMode").asText())
                .isEqualTo("host");
        assertThat(body("{\"HostConfig\":{\"NetworkMode\":\"none\"}}", Map.of(), "host").at("/HostConfig/NetworkMode")
                .asText()).isEqualTo("none");
    }

    @Test
    void givenMalformedOptions_whenMapped_thenInvalidCreateOptionsNotRetryable() {
        for (String bad : List.of("{not json", "[1,2]", "\"text\"", "{\"Env\":\"A=1\"}", "{\"Env\":[1]}",
                "{\"Labels\":[\"a\"]}", "{\"Labels\":{\"a\":1}}")) {
            assertThatThrownBy(() -> body(bad, Map.of(), "host"))
                    .as(bad)
                    .isInstanceOfSatisfying(OutpostException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.INVALID_CREATE_OPTIONS);
                        assertThat(e.retryable()).isFalse();
                    });
        }
    }

    @Test
    void givenHostConfigNotAnObject_whenDefaultNetworkApplied_thenInvalid() {
        assertThatThrownBy(() -> body("{\"HostConfig\":5}", Map.of(), "host"))
                .isInstanceOf(OutpostException.class).hasMessageContaining("HostConfig");
    }
}
