package io.outpost.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SampleMessagesTest {

    @Test
    void givenModuleMessageWithJsonBody_whenRead_thenSenderPropertiesAndBodyAreKept() {
        RouteMessage m = SampleMessages.fromJson("{\"systemProperties\":{\"connectionModuleId\":\"sensor\","
                + "\"outputName\":\"out1\",\"contentType\":\"application/json\",\"contentEncoding\":\"utf-8\"},"
                + "\"properties\":{\"alert\":true,\"level\":3},\"body\":{\"temp\":21.5,\"tags\":[\"a\",null]}}");

        assertThat(m.source()).isEqualTo(MessageSource.module("sensor", "out1"));
        assertThat(m.properties()).containsEntry("alert", "true").containsEntry("level", "3");
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":21.5,\"tags\":[\"a\",null]}");
        assertThat(RouteParser.parse("FROM /messages/modules/sensor/* WHERE $body.temp > 20 AND level = '3' "
                + "INTO $upstream").matches(m)).isTrue();
    }

    @Test
    void givenDeviceMessageWithTextBody_whenRead_thenDeviceSender() {
        RouteMessage m = SampleMessages.fromJson("{\"systemProperties\":{\"connectionDeviceId\":\"leaf\"},\"body\":\"hi\"}");

        assertThat(m.source()).isEqualTo(MessageSource.device("leaf"));
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void givenNotAnObject_whenRead_thenRefused() {
        assertThatThrownBy(() -> SampleMessages.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SampleMessages.fromJson("{\"properties\":{\"a\":{}}}"))
                .hasMessageContaining("properties.a must be a string");
    }
}
