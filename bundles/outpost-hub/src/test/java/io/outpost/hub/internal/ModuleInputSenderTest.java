package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleInputSenderTest {

    private static final String FILTER = Endpoints.moduleInput("filter", "input1");

    @TempDir
    Path dir;

    private ArtemisMessageStore store;
    private EndpointSender sender;

    @BeforeEach
    void open() {
        store = StoreFixture.open(dir, ManualClock.atEpochOf2026());
        sender = store.endpointSender("dev1");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StoredMessage stored(String text) throws Exception {
        store.enqueue(FILTER, StoreFixture.message(text), 4, Duration.ofHours(1));
        return store.poll(FILTER, 1, Duration.ZERO).get(0);
    }

    @Test
    void givenNoSubscriber_whenSent_thenRetryableEndpointUnavailable() throws Exception {
        StoredMessage m = stored("a");

        assertThatThrownBy(() -> sender.send(FILTER, m)).isInstanceOfSatisfying(OutpostException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(HubErrorCode.ENDPOINT_UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
        });
        assertThatThrownBy(() -> sender.send(Endpoints.UPSTREAM, m)).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void givenModuleSubscribedToItsInputs_whenSent_thenMessageIsInItsQueue() throws Exception {
        // What an MQTT subscription to devices/dev1/modules/filter/inputs/# becomes in Artemis.
        store.broker().server().createQueue(QueueConfiguration.of("filter-subscription")
                .setAddress("devices.dev1.modules.filter.inputs.#").setRoutingType(RoutingType.MULTICAST)
                .setDurable(true));

        sender.send(FILTER, stored("hello"));

        assertThat(store.broker().settledQueue("filter-subscription").getMessageCount()).isEqualTo(1);
        assertThat(ModuleInputSender.address("dev1", "filter", "input1"))
                .isEqualTo("devices.dev1.modules.filter.inputs.input1");
    }

    @Test
    void givenEndpointThatIsNoModuleInput_whenSent_thenInvalid() throws Exception {
        StoredMessage m = stored("x");

        assertThatThrownBy(() -> sender.send("somewhere", m)).isInstanceOf(IllegalArgumentException.class);
    }
}
