package io.outpost.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredPropertiesTest {

    @Test
    void givenTypedValues_whenRead_thenValuesReturned() {
        DesiredProperties d = DesiredProperties.parse("{\"SendInterval\":2.5,\"SendData\":false,\"MessageCount\":10}");

        assertThat(d.number("SendInterval", 0.01, 100)).contains(2.5);
        assertThat(d.bool("SendData")).contains(false);
        assertThat(d.integer("MessageCount", -1, 1000)).contains(10L);
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void givenStringsAsAzureToolsSometimesWriteThem_whenRead_thenAccepted() {
        DesiredProperties d = DesiredProperties.parse("{\"SendInterval\":\" 3 \",\"SendData\":\"TRUE\"}");

        assertThat(d.number("SendInterval", 0.01, 100)).contains(3.0);
        assertThat(d.bool("SendData")).contains(true);
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void givenAbsentOrNullProperty_whenRead_thenEmptyWithoutProblem() {
        DesiredProperties d = DesiredProperties.parse("{\"SendData\":null}");

        assertThat(d.bool("SendData")).isEmpty();
        assertThat(d.number("SendInterval", 0, 1)).isEmpty();
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void givenWrongTypesAndRanges_whenRead_thenEmptyAndProblemsNameTheProperty() {
        DesiredProperties d = DesiredProperties.parse(
                "{\"SendInterval\":-1,\"SendData\":\"maybe\",\"MessageCount\":1.5,\"TemperatureThreshold\":{\"a\":1}}");

        assertThat(d.number("SendInterval", 0.01, 86400)).isEmpty();
        assertThat(d.bool("SendData")).isEmpty();
        assertThat(d.integer("MessageCount", -1, 1000)).isEmpty();
        assertThat(d.number("TemperatureThreshold", -1000, 1000)).isEmpty();
        assertThat(d.problems()).containsExactly(
                "desired property SendInterval: expected a number from 0.01 to 86400, got -1",
                "desired property SendData: expected true or false, got \"maybe\"",
                "desired property MessageCount: expected a whole number, got 1.5",
                "desired property TemperatureThreshold: expected a number, got {\"a\":1}");
    }

    @Test
    void givenSdkTwinCollectionValues_whenRead_thenSameAsJson() {
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("TemperatureThreshold", 30.0);
        collection.put("nested", Map.of("x", 1));

        DesiredProperties d = DesiredProperties.of(collection);

        assertThat(d.number("TemperatureThreshold", -1000, 1000)).contains(30.0);
        assertThat(d.has("nested")).isTrue();
    }

    @Test
    void givenNotAnObject_whenParsed_thenPreciseError() {
        assertThatThrownBy(() -> DesiredProperties.parse("[1]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> DesiredProperties.parse("{\"a\":")).hasMessageContaining("not valid JSON");
    }
}
