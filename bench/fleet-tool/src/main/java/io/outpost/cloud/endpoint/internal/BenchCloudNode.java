package io.outpost.cloud.endpoint.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.TelemetryRetention;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.internal.CloudStore;
import io.outpost.cloud.store.internal.StoreSettings;
import io.outpost.bench.fleet.FleetKeys;
import io.outpost.common.SystemClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cloud node for bench/fleet.sh, in a JVM of its own: the cloud store on H2 in file mode under the folder
 * given, and the device endpoint with its documented default settings (desired poll 1 s, fleet apply 30 s, 4 store
 * threads) on a free port of 127.0.0.1. It is driven by one command a line on stdin and answers one line on
 * stdout ({@code ok ...} or {@code error ...}); the store and the endpoint log to stderr.
 *
 * <pre>
 * ready port=P pid=N trust=FILE          printed once started
 * devices N PREFIX MASTERKEY TAGS       registers PREFIX00001..N, each with key HMAC-SHA256(MASTERKEY, id)
 * patch-all PREFIX N JSON               merges JSON into the desired properties of each device's $edgeAgent twin
 * acked PREFIX N                        $edgeAgent twins whose reported lastDesiredVersion is their desired version
 * deploy ID CONDITION-FILE CONTENT-FILE creates a fleet deployment (which applies the fleet)
 * metrics ID                            the deployment's four counts
 * quit
 * </pre>
 *
 * It sits in the endpoint's package because the endpoint is started without OSGi the way its own tests start it
 * ({@link CloudEndpoint#start}, package-private); on a plain class path the package is shared.
 */
public final class BenchCloudNode {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchCloudNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BenchCloudNode DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        CloudStore store = CloudStore.open(new StoreSettings("jdbc:h2:file:" + dir.resolve("registry"), "", "", 8,
                Duration.ofHours(168), new TelemetryRetention(Duration.ofHours(24), 1000)), SystemClock.INSTANCE);
        Path endpointDir = dir.resolve("endpoint");
        EndpointSettings settings = new EndpointSettings("127.0.0.1", freePort(), List.of("localhost", "127.0.0.1"), "",
                endpointDir, endpointDir.resolve("trust-bundle.pem"), Duration.ofMillis(1000), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 4, 10000);
        CloudEndpoint endpoint = CloudEndpoint.start(settings, store.registry(), store.twins(), store.deployments(),
                store.telemetry(), SystemClock.INSTANCE);
        out.println("ready port=" + endpoint.port() + " pid=" + ProcessHandle.current().pid() + " trust="
                + settings.trustBundleFile());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            try {
                out.println(command(store, line));
            } catch (RuntimeException e) {
                out.println("error " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        endpoint.close();
        store.close();
        out.println("ok bye");
    }

    private static String command(CloudStore store, String line) throws Exception {
        String name = line.split(" ", 2)[0];
        // the last argument may hold spaces (JSON)
        int arguments = switch (name) {
            case "devices" -> 4;
            case "patch-all" -> 3;
            case "acked" -> 2;
            case "deploy" -> 3;
            default -> 1;
        };
        String[] c = line.split(" ", arguments + 1);
        if (c.length != arguments + 1) {
            return "error " + name + " takes " + arguments + " arguments";
        }
        switch (name) {
            case "devices" -> {
                int n = Integer.parseInt(c[1]);
                for (int i = 1; i <= n; i++) {
                    String id = deviceId(c[2], i);
                    String key = FleetKeys.deviceKey(c[3], id);
                    store.registry().create(id, new DeviceAuth.SymmetricKeys(key, FleetKeys.deviceKey(c[3], id + "#2")),
                            c[4]);
                }
                return "ok devices=" + n;
            }
            case "patch-all" -> {
                int n = Integer.parseInt(c[2]);
                for (int i = 1; i <= n; i++) {
                    store.twins().update(TwinId.module(deviceId(c[1], i), "$edgeAgent"),
                            TwinPatch.merge(TwinSection.DESIRED, c[3]));
                }
                return "ok patched=" + n;
            }
            case "acked" -> {
                int n = Integer.parseInt(c[2]);
                int acked = 0;
                for (int i = 1; i <= n; i++) {
                    Optional<Twin> twin = store.twins().get(TwinId.module(deviceId(c[1], i), "$edgeAgent"));
                    if (twin.isPresent()) {
                        JsonNode last = JSON.readTree(twin.get().reported()).path("lastDesiredVersion");
                        if (last.canConvertToLong() && last.asLong() == twin.get().desiredVersion()) {
                            acked++;
                        }
                    }
                }
                return "ok acked=" + acked;
            }
            case "deploy" -> {
                String condition = Files.readString(Path.of(c[2])).strip();
                String content = Files.readString(Path.of(c[3]));
                store.deployments().create(FleetDeployment.of(c[1], content, condition, 10, Map.of("bench", "fleet"),
                        false));
                return "ok deployed=" + c[1];
            }
            case "metrics" -> {
                DeploymentMetrics m = store.deployments().metrics(c[1]);
                return "ok targeted=" + m.targetedCount() + " applied=" + m.appliedCount() + " succeeded="
                        + m.reportedSuccessfulCount() + " failed=" + m.reportedFailedCount();
            }
            default -> {
                return "error unknown command: " + c[0];
            }
        }
    }

    private static String deviceId(String prefix, int i) {
        return FleetKeys.deviceId(prefix, i);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
