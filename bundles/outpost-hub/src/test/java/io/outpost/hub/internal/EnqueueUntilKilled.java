package io.outpost.hub.internal;

import io.outpost.common.SystemClock;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.Message;
import io.outpost.hub.MessageStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of {@link CrashSafetyIT}: enqueues messages from a few senders into a store, each with up to
 * {@value #WINDOW} writes in flight ({@code enqueueAll}, group-committed), and prints {@code ACK <id>} on
 * standard output as soon as each write completed, until it is killed.
 * Arguments: the data directory and the number of messages.
 */
public final class EnqueueUntilKilled {

    static final String ENDPOINT = "$upstream";
    private static final int THREADS = 4;
    private static final int WINDOW = 16;

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
                String sender = "sender-" + t;
                Thread thread = new Thread(() -> {
                    // as the hub's listener does: up to WINDOW writes of one sender in flight, each acknowledged
                    // when the store completes it (group commit), never before
                    Semaphore window = new Semaphore(WINDOW);
                    int seq;
                    while ((seq = next.getAndIncrement()) < total) {
                        Message m = new Message(Map.of(), Map.of("seq", Integer.toString(seq)),
                                ("message " + seq).getBytes(StandardCharsets.UTF_8));
                        window.acquireUninterruptibly();
                        store.enqueueAll(List.of(new MessageStore.Placement(ENDPOINT, seq % 10, Duration.ofHours(1))),
                                m, sender).whenComplete((ids, e) -> {
                                    if (e == null) {
                                        out.println("ACK " + ids.get(0));
                                    }
                                    window.release();
                                });
                    }
                    window.acquireUninterruptibly(WINDOW);
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
