package io.outpost.hub.internal;

import io.outpost.common.SystemClock;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.Message;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of {@link CrashSafetyIT}: enqueues messages from a few threads into a store and prints
 * {@code ACK <id>} on standard output as soon as each {@code enqueue} returned, until it is killed.
 * Arguments: the data directory and the number of messages.
 */
public final class EnqueueUntilKilled {

    static final String ENDPOINT = "$upstream";
    private static final int THREADS = 4;

    private EnqueueUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int total = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AtomicInteger next = new AtomicInteger();
        StoreSettings settings = new StoreSettings(dir, 1L << 30, FullPolicy.REJECT, Duration.ofHours(2));
        try (ArtemisMessageStore store = ArtemisMessageStore.open(settings, SystemClock.INSTANCE)) {
            out.println("READY");
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    int seq;
                    while ((seq = next.getAndIncrement()) < total) {
                        Message m = new Message(Map.of(), Map.of("seq", Integer.toString(seq)),
                                ("message " + seq).getBytes(StandardCharsets.UTF_8));
                        String id = store.enqueue(ENDPOINT, m, seq % 10, Duration.ofHours(1));
                        out.println("ACK " + id);
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
