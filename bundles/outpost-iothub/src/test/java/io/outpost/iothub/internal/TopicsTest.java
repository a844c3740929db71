package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.IotMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final ClientIdentity FILTER = new ClientIdentity("edge1", Optional.of("filter"));

    @Test
    void givenBagClosedWithSlashAsAzureSdksSendIt_whenClassified_thenTheLastValueHasNoSlash() {
        Topics.Publish p = Topics.classify(FILTER,
                "devices/edge1/modules/filter/messages/events/%24.on=output1&MessageType=Alert/");

        assertThat(p).isInstanceOf(Topics.Telemetry.class);
        IotMessage m = PropertyBag.decode(((Topics.Telemetry) p).bag(), new byte[0]);
        assertThat(m.properties()).containsEntry("MessageType", "Alert");
        assertThat(m.systemProperties()).containsEntry(IotMessage.OUTPUT_NAME, "output1");
    }

    @Test
    void givenBagWithoutSlash_whenClassified_thenItIsKeptWhole() {
        Topics.Publish p = Topics.classify(FILTER, "devices/edge1/modules/filter/messages/events/a=1&b=2");

        assertThat(((Topics.Telemetry) p).bag()).isEqualTo("a=1&b=2");
    }
}
