package io.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IotHubTopicsTest {

    private static final String BAG = IotHubProperties.encode(new IotMessage(
            Map.of(IotHubProperties.MESSAGE_ID, "m-1"), Map.of("k", "v w"), "x".getBytes(StandardCharsets.UTF_8)));

    @Test
    void givenADeviceAndAModule_whenTheirTelemetryTopicsAreBuilt_thenTheyAreIotHubsEventsTopics() {
        assertThat(IotHubTopics.telemetry("edge1", null, BAG))
                .isEqualTo("devices/edge1/messages/events/%24.mid=m-1&k=v%20w");
        assertThat(IotHubTopics.telemetry("edge1", "", "")).isEqualTo("devices/edge1/messages/events/");
        assertThat(IotHubTopics.telemetry("edge1", "sensor", BAG))
                .isEqualTo("devices/edge1/modules/sensor/messages/events/%24.mid=m-1&k=v%20w");
    }

    @Test
    void givenAnInputAndADevice_whenTheirDeliveryTopicsAreBuilt_thenTheyAreIotHubsInputAndDeviceBoundTopics() {
        assertThat(IotHubTopics.moduleInput("edge1", "filter", "in1", BAG))
                .isEqualTo("devices/edge1/modules/filter/inputs/in1/%24.mid=m-1&k=v%20w");
        assertThat(IotHubTopics.deviceBound("leaf1", BAG))
                .isEqualTo("devices/leaf1/messages/devicebound/%24.mid=m-1&k=v%20w");
        assertThat(IotHubTopics.deviceBoundPrefix("leaf1")).isEqualTo("devices/leaf1/messages/devicebound/");
    }
}
