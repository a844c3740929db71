package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointNamesTest {

    @Test
    void givenEndpointsWithSpecialCharacters_whenNamed_thenBrokerNamesAreSafeAndReversible() {
        for (String endpoint : new String[] {"$upstream", "filter/input_1", "mod.in#*", "ünï-code", "plain-1"}) {
            EndpointNames names = EndpointNames.of(endpoint);

            assertThat(names.address()).matches("outpost\\.endpoint\\.[A-Za-z0-9_-]+");
            assertThat(EndpointNames.endpointOf(names.address())).contains(endpoint);
        }
        assertThat(EndpointNames.of("$upstream").queue(3)).isEqualTo("outpost.endpoint._24upstream.p3");
        assertThat(EndpointNames.of("$upstream").deadLetterAddress()).isEqualTo("outpost.deadletter._24upstream");
    }

    @Test
    void givenBlankEndpoint_whenNamed_thenRefused() {
        assertThatThrownBy(() -> EndpointNames.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(EndpointNames.endpointOf("outpost.deadletter.x")).isEmpty();
    }
}
