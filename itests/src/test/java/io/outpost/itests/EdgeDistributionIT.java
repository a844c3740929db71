package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.outpost.common.Clock;
import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.Endpoints;
import io.outpost.hub.Message;
import io.outpost.hub.MessageStore;
import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.karaf.features.Feature;
import org.junit.Test;
import org.osgi.framework.Bundle;

/** The Outpost distribution boots with its edge runtime installed and its shell answering. */
public class EdgeDistributionIT extends OutpostTestSupport {

    @org.junit.Before
    public void awaitEdgeCommands() {
        awaitCommand("edge", "version", Duration.ofSeconds(60));
    }

    @Test
    public void givenFreshDistribution_whenBooted_thenEveryOutpostBundleIsActive() {
        List<Bundle> bundles = outpostBundles();

        assertTrue("Outpost bundles found: " + bundles, bundles.size() >= 2);
        List<String> notActive = bundles.stream()
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " state=" + b.getState())
                .collect(Collectors.toList());
        assertEquals("bundles not ACTIVE", List.of(), notActive);
    }

    @Test
    public void givenFreshDistribution_whenBooted_thenOutpostEdgeFeatureIsInstalled() throws Exception {
        Feature edge = featuresService.getFeature("outpost-edge");

        assertTrue("outpost-edge installed", featuresService.isInstalled(edge));
        String output = executeCommand("feature:list -i");
        assertTrue(output, output.contains("outpost-edge"));
        assertTrue(output, output.contains("outpost-shell"));
    }

    @Test
    public void givenShell_whenEdgeVersionRun_thenItPrintsTheOutpostVersion() {
        String output = executeCommand("edge:version");

        assertTrue(output, output.startsWith("Outpost " + System.getProperty("outpost.version", "").replace('-', '.')));
        assertTrue(output, output.contains("Karaf   4.4.10"));
    }

    @Test
    public void givenViewerRole_whenEdgeVersionRun_thenAllowed() {
        String output = executeCommand("edge:version", COMMAND_TIMEOUT, "viewer", "ssh");

        assertTrue(output, output.startsWith("Outpost "));
    }

    @Test
    public void givenEdgeFeature_whenBooted_thenAgentStoreAndSecurityServicesAnswer() {
        DeploymentService deployments = awaitService(DeploymentService.class, Duration.ofSeconds(60));
        MessageStore store = awaitService(MessageStore.class, Duration.ofSeconds(60));
        CertificateService certificates = awaitService(CertificateService.class, Duration.ofSeconds(60));

        assertEquals("no deployment yet", DeploymentStatus.UNKNOWN, deployments.status().code());
        // $upstream is held until the cloud link exists: what is enqueued there stays, durably.
        long before = store.stats(Endpoints.UPSTREAM).length();
        String id = store.enqueue(Endpoints.UPSTREAM, new Message(Map.of(), Map.of("k", "v"),
                "hello".getBytes(StandardCharsets.UTF_8)), 0);
        assertEquals(before + 1, store.stats(Endpoints.UPSTREAM).length());
        assertTrue(certificates.trustBundlePem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(List.of("edge-ca", "hub-server"),
                certificates.status().stream().map(CertificateStatus::name).collect(Collectors.toList()));
        assertFalse(id.isEmpty());
    }

    @Test
    public void givenShell_whenLeafDeviceAddedListedAndRemoved_thenConnectionStringAndListsFollow() {
        String added = executeCommand("edge:device-add leaf-it-1");
        String listed = executeCommand("edge:device-list");
        String refused = executeCommand("edge:device-add leaf-it-1");
        String removed = executeCommand("edge:device-remove leaf-it-1");
        String after = executeCommand("edge:device-list");

        assertTrue(added, added.contains("Connection: HostName=") && added.contains(";DeviceId=leaf-it-1;SharedAccessKey=")
                && added.contains(";GatewayHostName="));
        assertTrue(listed, listed.contains("leaf-it-1") && listed.contains("sas"));
        assertTrue(refused, refused.contains("already exists"));
        assertTrue(removed, removed.contains("Removed device leaf-it-1"));
        assertFalse(after, after.contains("leaf-it-1"));
    }

    @Test
    public void givenViewerRole_whenCertListRun_thenCaAndHubCertificatesAreShownButDeviceAddIsRefused() {
        String certs = executeCommand("edge:cert-list", COMMAND_TIMEOUT, "viewer", "ssh");
        String bundle = executeCommand("edge:cert-list --trust-bundle", COMMAND_TIMEOUT, "viewer", "ssh");
        awaitHiddenFromViewer("edge:device-add", Duration.ofSeconds(30));
        String refused = executeFailingCommand("edge:device-add leaf-viewer", "viewer", "ssh");

        assertTrue(certs, certs.contains("edge-ca") && certs.contains("hub-server") && certs.contains("ok"));
        assertTrue(bundle, bundle.startsWith("-----BEGIN CERTIFICATE-----"));
        // Karaf hides a command from a role its ACL does not allow
        assertTrue(refused, refused.contains("Command not found: edge:device-add"));
    }

    @Test
    public void givenCommonBundle_whenActive_thenSystemClockServiceIsPublished() {
        Clock clock = awaitService(Clock.class, Duration.ofSeconds(30));

        assertServiceRegistered(Clock.class);
        long before = clock.monotonicNanos();
        assertFalse(clock.since(before).isNegative());
    }

    @Test
    public void givenEdgeFeature_whenMetricsScraped_thenQueueLengthAndConnectedClientsAreExposed() throws Exception {
        MessageStore store = awaitService(MessageStore.class, Duration.ofSeconds(60));
        awaitService(ConnectedClients.class, Duration.ofSeconds(60));
        // a queue exists once an endpoint was used; $upstream is held while there is no cloud link
        store.enqueue(Endpoints.UPSTREAM, new Message(Map.of(), Map.of(), "m".getBytes(StandardCharsets.UTF_8)), 0);
        // the port chosen when the runtime was configured (this class runs again inside the runtime)
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(System.getProperty("karaf.etc"), "io.outpost.metrics.cfg"))) {
            settings.load(in);
        }
        URI metrics = URI.create("http://127.0.0.1:" + settings.getProperty("port").trim() + "/metrics");
        HttpClient http = HttpClient.newHttpClient();
        String body = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                body = response.body();
                if (response.statusCode() == 200 && body.contains("\nedgehub_queue_length{")
                        && body.contains("\nedgehub_connected_clients ")) {
                    break;
                }
            } catch (java.io.IOException notYetListening) {
                // the listener binds shortly after the bundle starts
            }
            Thread.sleep(500);
        }

        assertTrue(body, body.contains("\nedgehub_queue_length{endpoint=\"$upstream\",priority=\"0\"} "));
        assertTrue(body, body.contains("\nedgehub_connected_clients "));
        assertTrue(body, body.contains("\nedgeAgent_used_memory_bytes{module_name=\"edgeAgent\"} "));
    }
}
