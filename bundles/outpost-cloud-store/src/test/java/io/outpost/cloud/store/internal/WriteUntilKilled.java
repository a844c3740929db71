package io.outpost.cloud.store.internal;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.common.SystemClock;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The child process of {@link H2DurabilityTest}: opens the cloud store with the component's default settings
 * under a data directory and, from a few threads, writes what the cloud answers for: telemetry (answered with a
 * PUBACK) and twin desired patches (answered 202). It prints {@code TELEMETRY <id>} or {@code TWIN <device>
 * <version>} on standard output as soon as each write returned, until it is killed.
 * Arguments: the data directory (Karaf's {@code data}) and the number of writes per thread.
 */
public final class WriteUntilKilled {

    static final int THREADS = 4;
    static final String KEY = "ZWRnZS1kZXZpY2Uta2V5LTEyMzQ1Njc4";

    private WriteUntilKilled() {
    }

    static String device(int thread) {
        return "dev-" + thread;
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int perThread = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (CloudStore store = CloudStore.open(H2DurabilityTest.settings(data), SystemClock.INSTANCE)) {
            for (int t = 0; t < THREADS; t++) {
                store.registry().create(device(t), new DeviceAuth.SymmetricKeys(KEY, ""), "{}");
            }
            out.println("READY");
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String device = device(t);
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        if (i % 2 == 0) {
                            String id = device + "-m-" + i;
                            store.telemetry().append(new TelemetryMessage(0, device, Optional.empty(), Instant.now(),
                                    new TreeMap<>(Map.of("$.mid", id)), id.getBytes(StandardCharsets.UTF_8)));
                            out.println("TELEMETRY " + id);
                        } else {
                            long version = store.twins().update(TwinId.device(device), TwinPatch.merge(
                                    TwinSection.DESIRED, "{\"n\": " + i + "}")).desiredVersion();
                            out.println("TWIN " + device + " " + version);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            out.println("DONE");
        }
    }
}
