package io.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IotHubPropertiesTest {

    private static final byte[] BODY = "{\"t\":21}".getBytes(StandardCharsets.UTF_8);

    @Test
    void givenEverySystemPropertyAClientMaySend_whenEncodedAndDecoded_thenTheMessageComesBackWhole() {
        Map<String, String> system = Map.of(IotHubProperties.MESSAGE_ID, "m 1", IotHubProperties.CORRELATION_ID,
                "c&1", IotHubProperties.USER_ID, "u=1", IotHubProperties.CONTENT_TYPE, "application/json",
                IotHubProperties.CONTENT_ENCODING, "utf-8", IotHubProperties.TO, "/devices/d/messages/deviceBound",
                IotHubProperties.ABSOLUTE_EXPIRY_TIME, "2026-12-07T18:00:00Z", IotHubProperties.CREATION_TIME_UTC,
                "2026-12-07T17:00:00Z", IotHubProperties.OUTPUT_NAME, "out1", "messageSchema", "v1");
        IotMessage message = new IotMessage(system, Map.of("temp unit", "C", "ü", "100%"), BODY);

        String bag = IotHubProperties.encode(message);

        assertThat(bag).startsWith("%24.exp=2026-12-07T18%3A00%3A00Z&%24.ce=utf-8&%24.ct=application%2Fjson")
                .contains("%24.mid=m%201", "%24.cid=c%261", "%24.uid=u%3D1", "%24.ctime=", "%24.on=out1",
                        "%24.to=%2Fdevices", "%24.messageSchema=v1")
                .endsWith("&temp%20unit=C&%C3%BC=100%25");
        assertThat(IotHubProperties.decode(bag, BODY)).isEqualTo(message);
    }

    @Test
    void givenTheConnectionProperties_whenEncoded_thenTheyAreWrittenAndADecodedBagDropsThem() {
        IotMessage message = new IotMessage(Map.of(IotHubProperties.CONNECTION_DEVICE_ID, "edge1",
                IotHubProperties.CONNECTION_MODULE_ID, "sensor", IotHubProperties.MESSAGE_ID, "1"), Map.of(), BODY);

        String bag = IotHubProperties.encode(message);

        assertThat(bag).isEqualTo("%24.cdid=edge1&%24.cmid=sensor&%24.mid=1");
        assertThat(IotHubProperties.decode(bag, BODY).systemProperties()).isEqualTo(Map.of("messageId", "1"));
    }

    @Test
    void givenTheKeyTable_whenLookedUpBothWays_thenEveryShortKeyStandsForItsIotHubName() {
        Map<String, String> keys = IotHubProperties.bagKeys();

        assertThat(keys).containsEntry("messageId", "$.mid").containsEntry("correlationId", "$.cid")
                .containsEntry("userId", "$.uid").containsEntry("contentType", "$.ct")
                .containsEntry("contentEncoding", "$.ce").containsEntry("to", "$.to")
                .containsEntry("absoluteExpiryTime", "$.exp").containsEntry("creationTimeUtc", "$.ctime")
                .containsEntry("outputName", "$.on").containsEntry("connectionDeviceId", "$.cdid")
                .containsEntry("connectionModuleId", "$.cmid").hasSize(11);
        keys.forEach((name, key) -> {
            assertThat(IotHubProperties.bagKey(name)).isEqualTo(key);
            assertThat(IotHubProperties.systemName(key)).isEqualTo(name);
            assertThat(IotHubProperties.isKnownBagKey(key)).isTrue();
        });
        assertThat(IotHubProperties.bagKey("messageSchema")).isEqualTo("$.messageSchema");
        assertThat(IotHubProperties.isKnownBagKey("$.messageSchema")).isFalse();
        assertThat(IotMessage.CONNECTION_MODULE_ID).isEqualTo(IotHubProperties.CONNECTION_MODULE_ID);
    }

    @Test
    void givenUnknownDollarKeys_whenDecoded_thenTheyAreSystemPropertiesUnderTheirOwnNames() {
        IotMessage m = IotHubProperties.decode("%24.iothub-interface-id=x&$.foo=bar&%24.on=&a", BODY);

        assertThat(m.systemProperties()).isEqualTo(Map.of("iothub-interface-id", "x", "foo", "bar"));
        assertThat(m.properties()).isEqualTo(Map.of("a", ""));
    }

    @Test
    void givenABadEscapeInAValue_whenDecoded_thenTheErrorNamesTheProperty() {
        assertThatThrownBy(() -> IotHubProperties.decode("%24.mid=1&%24.ct=text%2", BODY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad URL encoding in the value of property '$.ct': 'text%2'");
        assertThatThrownBy(() -> IotHubProperties.decode("k%zz=v", BODY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad URL encoding in the name of property 'k%zz': 'k%zz'");
    }

    @Test
    void givenPropertiesWithoutName_whenDecoded_thenRefused() {
        assertThatThrownBy(() -> IotHubProperties.decode("=v", BODY)).hasMessage("a property of the bag has no name");
        assertThatThrownBy(() -> IotHubProperties.decode("%24.=v", BODY))
                .hasMessage("a system property of the bag has no name");
        assertThatThrownBy(() -> IotHubProperties.systemName("mid"))
                .hasMessage("'mid' is not a system property's bag key");
    }

    @Test
    void givenALongBadValue_whenDecoded_thenTheErrorQuotesAtMost200Characters() {
        String bad = "x".repeat(300) + "%";

        assertThatThrownBy(() -> IotHubProperties.decode("k=" + bad, BODY))
                .hasMessage("bad URL encoding in the value of property 'k': '" + "x".repeat(200) + "...'");
    }
}
