package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.RouteResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Before;
import org.junit.Test;

/**
 * In the distribution, the routes of an applied manifest (no modules, so no container engine is needed) become
 * the router's routes and one Camel route per endpoint: {@code edge:route-list} and {@code camel:route-list}
 * show them, and the shell adds, tests and removes routes.
 */
public class RoutingIT extends OutpostTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MANIFEST = """
            {"modulesContent": {
              "$edgeAgent": {"properties.desired": {
                "schemaVersion": "1.1",
                "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
                "systemModules": {
                  "edgeAgent": {"type": "docker", "settings": {"image": "mcr.microsoft.com/azureiotedge-agent:1.5"}},
                  "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                              "settings": {"image": "mcr.microsoft.com/azureiotedge-hub:1.5"}}},
                "modules": {}}},
              "$edgeHub": {"properties.desired": {
                "schemaVersion": "1.2",
                "routes": {
                  "alarms": {"route": "FROM /messages/modules/sensor/outputs/alarms INTO $upstream",
                             "priority": 0, "timeToLiveSecs": 86400},
                  "to-filter": {"route": "FROM /messages/modules/sensor/outputs/* INTO BrokeredEndpoint(\\"/modules/filter/inputs/input1\\")",
                                "priority": 5}},
                "storeAndForwardConfiguration": {"timeToLiveSecs": 3600}}}}}
            """;

    @Before
    public void awaitHubCommands() {
        awaitCommand("edge", "route-list", WAIT);
        awaitCommand("camel", "route-list", WAIT);
        awaitService(MessageRouter.class, WAIT);
    }

    private String awaitOutput(String command, Predicate<String> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String out = executeCommand(command);
        while (!done.test(out)) {
            if (System.nanoTime() > deadline) {
                fail("'" + command + "' never showed what was expected; last output:\n" + out);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            out = executeCommand(command);
        }
        return out;
    }

    @Test
    public void givenManifestWithRoutes_whenApplied_thenRouterShellAndCamelShowThem() {
        DeploymentService deployments = awaitService(DeploymentService.class, WAIT);
        DeploymentStatus status = deployments.apply(
                DesiredState.ofContent(MANIFEST.getBytes(StandardCharsets.UTF_8), "itest"));
        assertEquals(status.description(), DeploymentStatus.OK, status.code());

        String routes = awaitOutput("edge:route-list", o -> o.contains("alarms") && o.contains("to-filter"));
        assertTrue(routes, routes.contains("86400s") && routes.contains("deployment"));
        String camel = awaitOutput("camel:route-list", o -> o.contains("out-module/filter/input1"));
        assertTrue(camel, camel.contains("outpost-hub") && camel.contains("out-$upstream"));

        MessageRouter router = awaitService(MessageRouter.class, WAIT);
        RouteResult result = router.route(IncomingMessage.fromModule("sensor", "alarms",
                new Message(Map.of(), Map.of("label", "alarm-1"), new byte[] {1, 2})));
        assertEquals(2, result.enqueued().size());
        // $upstream is held (no cloud link): its queue keeps the message.
        assertEquals(1, awaitService(MessageStore.class, WAIT).stats("$upstream").length());
        String endpoints = executeCommand("edge:endpoint-list");
        assertTrue(endpoints, endpoints.contains("$upstream") && endpoints.contains("module/filter/input1"));
    }

    @Test
    public void givenShell_whenRouteAddedTestedAndRemoved_thenCamelRoutesFollow() throws IOException {
        executeCommand("edge:route-add to-archive "
                + "'FROM /messages/* WHERE level = \"high\" INTO BrokeredEndpoint(\"/modules/archive/inputs/in\")'"
                + " --priority 2 --ttl 60");
        awaitOutput("camel:route-list", o -> o.contains("out-module/archive/in"));
        String listed = executeCommand("edge:route-list");
        assertTrue(listed, listed.contains("to-archive") && listed.contains("60s") && listed.contains("shell"));

        Path sample = Files.createTempFile("outpost-message", ".json");
        Files.writeString(sample, "{\"systemProperties\":{\"connectionDeviceId\":\"leaf\"},"
                + "\"properties\":{\"level\":\"high\"},\"body\":\"hello\"}");
        String test = executeCommand("edge:route-test 'FROM /messages/* WHERE level = \"high\" INTO $upstream' --message "
                + sample);
        assertTrue(test, test.contains("Matches   : yes") && test.contains("Endpoint  : $upstream"));

        executeCommand("edge:route-remove to-archive");
        awaitOutput("camel:route-list", o -> !o.contains("out-module/archive/in"));
    }

    @Test
    public void givenBadArguments_whenRouteCommandsRun_thenErrorsNameTheArgument() {
        String syntax = executeFailingCommand("edge:route-add broken 'FROM /messages/* WHERE INTO $upstream'",
                ADMIN_ROLES);
        assertTrue(syntax, syntax.contains("route: column"));
        String priority = executeFailingCommand("edge:route-add --priority 12 p 'FROM /* INTO $upstream'", ADMIN_ROLES);
        assertTrue(priority, priority.contains("--priority"));
        String unknown = executeFailingCommand("edge:route-remove no-such-route", ADMIN_ROLES);
        assertTrue(unknown, unknown.contains("no route named no-such-route"));
        awaitHiddenFromViewer("edge:route-add", Duration.ofSeconds(30));
        String viewer = executeFailingCommand("edge:route-add v 'FROM /* INTO $upstream'", "viewer", "ssh");
        assertTrue(viewer, viewer.contains("Command not found: edge:route-add"));
    }
}
