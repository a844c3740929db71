package io.outpost.hub.internal;

import io.outpost.common.ManualClock;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.Message;
import io.outpost.hub.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Opens real stores on a temporary directory and reads them back, for the store tests. */
final class StoreFixture {

    static final Duration HOUR = Duration.ofHours(1);
    static final long GIB = 1L << 30;

    private StoreFixture() {
    }

    static ArtemisMessageStore open(Path dir, ManualClock clock) {
        return open(dir, clock, GIB, FullPolicy.REJECT);
    }

    static ArtemisMessageStore open(Path dir, ManualClock clock, long maxBytes, FullPolicy policy) {
        return ArtemisMessageStore.open(new StoreSettings(dir, maxBytes, policy, Duration.ofSeconds(7200)), clock);
    }

    /** A message whose body is {@code text} and whose application property {@code label} is {@code text}. */
    static Message message(String text) {
        return new Message(Map.of("$.ct", "text/plain"), Map.of("label", text),
                text.getBytes(StandardCharsets.UTF_8));
    }

    static String label(StoredMessage m) {
        return m.properties().get("label");
    }

    /** Polls and acknowledges until the endpoint is empty; returns what was delivered, in order. */
    static List<StoredMessage> drain(ArtemisMessageStore store, String endpoint) throws InterruptedException {
        List<StoredMessage> all = new ArrayList<>();
        List<StoredMessage> batch;
        while (!(batch = store.poll(endpoint, 100, Duration.ZERO)).isEmpty()) {
            all.addAll(batch);
            store.ack(endpoint, batch.stream().map(StoredMessage::id).toList());
        }
        return all;
    }

    static List<String> labels(List<StoredMessage> messages) {
        return messages.stream().map(StoreFixture::label).toList();
    }
}
