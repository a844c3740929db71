package io.outpost.samples.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import io.outpost.iothub.IotMessage;
import io.outpost.iothub.testing.AzureSdkGateway;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.SasToken;
import io.outpost.security.testing.WorkloadFixture;
import io.outpost.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge restart as a running module sees it: a module on {@link ModuleHost} (Azure's SDK 2.5.0 in a child JVM)
 * connected to Outpost's real IoT Hub dialect server (MQTT over TLS on 8883 of a loopback address of the test's
 * own, SAS tokens verified with Outpost's {@link SasToken} against the identity store) and signing through
 * Outpost's real {@link WorkloadServer}; then both go away, as they do when the runtime stops.
 */
class ModuleHostReconnectIT {

    private static final String HUB = "outpost-hub";

    @TempDir
    Path dir;

    private IdentityService identities;
    private CertificateService ca;
    private Identity filter;
    private String gateway;
    private WorkloadFixture workload;
    private DialectServer hub;
    private Process module;
    private final BlockingQueue<Long> received = new LinkedBlockingQueue<>();
    private Path log;

    @BeforeEach
    void start() throws Exception {
        identities = WorkloadFixture.identities(dir.resolve("identities.properties"));
        filter = identities.moduleIdentity("dev1", "filter");
        gateway = AzureSdkGateway.loopbackWithFreeMqttPort();
        ca = TestCertificates.edgeCa(dir.resolve("ca"), List.of("localhost", gateway));
        startEdge();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (module != null && module.isAlive()) {
            module.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        stopEdge();
    }

    @Test
    void givenEdgeGoneForGood_whenModuleLosesTheHub_thenItExitsNonZeroWithinItsBound() throws Exception {
        startModule(6);
        awaitSent();

        long lost = System.nanoTime();
        stopEdge();

        assertThat(module.waitFor(6 + 20, TimeUnit.SECONDS)).as("module exited; output:%n%s", transcript()).isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lost);
        assertThat(module.exitValue()).as("exit status; output:%n%s", transcript()).isEqualTo(1);
        assertThat(seconds).as("seconds from the loss to the exit").isBetween(5L, 6L + 15);
        assertThat(transcript()).contains("module-disconnected").contains("module-reconnect-failed")
                .contains("workload socket " + workload.socketPath("filter") + " does not exist")
                .contains("module-exiting status=1").contains("restartPolicy");
    }

    @Test
    void givenEdgeBackWithinTheBound_whenModuleLosesTheHub_thenItReconnectsAndSendsAgain() throws Exception {
        startModule(30);
        awaitSent();

        stopEdge();
        Thread.sleep(3_000);
        received.clear();
        startEdge();

        Long after = received.poll(40, TimeUnit.SECONDS);
        assertThat(after).as("telemetry at the restarted hub; output:%n%s", transcript()).isNotNull();
        assertThat(module.isAlive()).isTrue();
        assertThat(transcript()).contains("module-disconnected").contains("module-reconnected")
                .doesNotContain("module-exiting");

        module.destroy(); // SIGTERM, as docker stop
        assertThat(module.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(transcript()).contains("module-stopped module=filter");
    }

    private void startEdge() throws Exception {
        workload = WorkloadFixture.start(dir.resolve("workload"), identities, ca);
        workload.open("dev1", "filter");
        hub = DialectServer.start(DialectSettings.defaults().withTls(gateway, AzureSdkGateway.SDK_MQTT_PORT, ca::serverKeyStore),
                new SasHost());
    }

    private void stopEdge() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
        if (workload != null) {
            workload.close();
        }
    }

    private void startModule(int reconnectTimeoutSecs) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ReconnectingModuleProbe.class.getName());
        pb.environment().remove("EdgeHubConnectionString");
        pb.environment().remove("IotHubConnectionString");
        pb.environment().putAll(Map.of(
                "IOTEDGE_WORKLOADURI", "unix://" + workload.socketPath("filter"),
                "IOTEDGE_DEVICEID", "dev1",
                "IOTEDGE_MODULEID", "filter",
                "IOTEDGE_MODULEGENERATIONID", filter.generationId(),
                "IOTEDGE_IOTHUBHOSTNAME", HUB,
                "IOTEDGE_GATEWAYHOSTNAME", gateway,
                "IOTEDGE_APIVERSION", "2019-01-30",
                "IOTEDGE_AUTHSCHEME", "sasToken",
                ModuleHost.RECONNECT_VARIABLE, Integer.toString(reconnectTimeoutSecs)));
        pb.redirectErrorStream(true);
        log = dir.resolve("module-" + reconnectTimeoutSecs + ".log");
        pb.redirectOutput(log.toFile());
        module = pb.start();
    }

    /** What the module printed and logged so far. */
    private String transcript() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private void awaitSent() throws InterruptedException {
        assertThat(received.poll(60, TimeUnit.SECONDS)).as("first telemetry at the hub; output:%n%s", transcript())
                .isNotNull();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!transcript().contains("sent=") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(transcript()).as("an acknowledged send reported").contains("sent=");
    }

    /** Lets in a module whose SAS token verifies with its key from the identity store; keeps its telemetry. */
    private final class SasHost implements DialectHost {

        @Override
        public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
            try {
                ClientIdentity who = ClientIdentity.parse(request.clientId());
                Identity identity = identities.find(who.deviceId(), who.moduleId()).orElseThrow();
                SasToken token = SasToken.parse(request.password().orElseThrow());
                token.verify(identity.resource(HUB), identity.primaryKey().orElseThrow(), Instant.now());
                return CompletableFuture.completedFuture(Optional.of(new Authenticated(who, Optional.of(token.expiry()))));
            } catch (RuntimeException refused) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        }

        @Override
        public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
            received.add(Long.parseLong(new String(message.body(), StandardCharsets.UTF_8)));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<String> getTwin(ClientIdentity identity) {
            return CompletableFuture.completedFuture("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
        }

        @Override
        public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
            return CompletableFuture.completedFuture(2L);
        }
    }
}
