package io.outpost.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HubNamesTest {

    @Test
    void givenNames_whenConnectionStringMade_thenItHasTheFieldsAzureSdksRead() {
        HubNames names = new HubNames("hub.example.net", "gateway.local");

        assertThat(names.deviceConnectionString("leaf-1", "a2V5"))
                .isEqualTo("HostName=hub.example.net;DeviceId=leaf-1;SharedAccessKey=a2V5;GatewayHostName=gateway.local");
    }
}
