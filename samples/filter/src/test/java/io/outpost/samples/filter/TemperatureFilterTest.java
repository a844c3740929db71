package io.outpost.samples.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.outpost.samples.filter.TemperatureFilter.Decision.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TemperatureFilterTest {

    private static byte[] reading(String machineTemperature) {
        return ("{\"machine\":{\"temperature\":" + machineTemperature + ",\"pressure\":1.2},"
                + "\"ambient\":{\"temperature\":21.3,\"humidity\":25},\"timeCreated\":\"2026-03-01T10:15:30Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void givenDefaultThreshold_whenReadingsArrive_thenOnlyThoseAboveAreForwarded() {
        TemperatureFilter filter = new TemperatureFilter(FilterModule.DEFAULT_THRESHOLD);

        assertThat(filter.decide(reading("24.9")).kind()).isEqualTo(Kind.DROP);
        assertThat(filter.decide(reading("25")).kind()).as("equal is not above").isEqualTo(Kind.DROP);
        TemperatureFilter.Decision hot = filter.decide(reading("25.01"));
        assertThat(hot.kind()).isEqualTo(Kind.FORWARD);
        assertThat(hot.temperature()).isEqualTo(25.01);
        assertThat(filter.counts()).isEqualTo(new TemperatureFilter.Counts(3, 1, 0));
    }

    @Test
    void givenThresholdChanged_whenReadingArrives_thenNewThresholdApplies() {
        TemperatureFilter filter = new TemperatureFilter(25);

        filter.threshold(80);

        assertThat(filter.decide(reading("60")).kind()).isEqualTo(Kind.DROP);
        assertThat(filter.decide(reading("80.5")).kind()).isEqualTo(Kind.FORWARD);
    }

    @Test
    void givenBadBodies_whenDecided_thenInvalidWithReasonNamingTheField() {
        TemperatureFilter filter = new TemperatureFilter(25);

        assertThat(filter.decide("not json{".getBytes(StandardCharsets.UTF_8)).reason()).startsWith("the body is not JSON");
        assertThat(filter.decide("[1]".getBytes(StandardCharsets.UTF_8)).reason()).isEqualTo("the body is not a JSON object");
        assertThat(filter.decide("{}".getBytes(StandardCharsets.UTF_8)).reason())
                .isEqualTo("machine is missing or not an object");
        assertThat(filter.decide(reading("\"hot\"")).reason()).isEqualTo("machine.temperature is missing or not a number");
        assertThat(filter.decide(null).kind()).isEqualTo(Kind.INVALID);
        assertThat(filter.counts()).isEqualTo(new TemperatureFilter.Counts(5, 0, 5));
    }

    @Test
    void givenCounts_whenResetMethodInvoked_thenAnswers200WithPreviousCountsAndCountersRestart() {
        TemperatureFilter filter = new TemperatureFilter(25);
        filter.decide(reading("30"));
        filter.decide(reading("20"));
        FilterModule module = new FilterModule(filter);

        var response = module.onMethod("reset", null);

        assertThat(response.getStatus()).isEqualTo(200);
        JsonObject body = (JsonObject) response.getPayload();
        assertThat(body.toString()).isEqualTo("{\"reset\":true,\"received\":2,\"forwarded\":1,\"invalid\":0}");
        assertThat(filter.counts()).isEqualTo(new TemperatureFilter.Counts(0, 0, 0));
    }

    @Test
    void givenUnknownMethod_whenInvoked_thenAnswers404NamingIt() {
        var response = new FilterModule(new TemperatureFilter(25)).onMethod("explode", null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getPayload().toString()).contains("unknown method 'explode'");
    }
}
