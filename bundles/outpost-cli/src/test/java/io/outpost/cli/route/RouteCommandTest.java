package io.outpost.cli.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.cli.OutpostCli;
import io.outpost.routing.RouteMessage;
import io.outpost.routing.SampleMessages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_MESSAGE = "{\"systemProperties\":{\"contentType\":\"application/json\","
            + "\"contentEncoding\":\"utf-8\",\"connectionDeviceId\":\"dev1\"},\"properties\":{\"level\":\"high\","
            + "\"count\":3},\"body\":{\"temp\":31.5,\"name\":\"pump\"}}";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return OutpostCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void givenModuleRoute_whenParsed_thenPrintsOneJsonObjectAndExitsZero() throws IOException {
        int code = run("route", "parse",
                "FROM /messages/modules/sensor/outputs/temp WHERE $body.t > 20 INTO BrokeredEndpoint('/modules/filter/inputs/in')");

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString().trim()).isEqualTo("{\"source\":{\"kind\":\"module-output\",\"module\":\"sensor\","
                + "\"output\":\"temp\"},\"condition\":\"$body.t > 20\",\"sink\":{\"kind\":\"module-input\","
                + "\"module\":\"filter\",\"input\":\"in\"}}");
        assertThat(JSON.readTree(out.toString()).size()).isEqualTo(3);
    }

    @Test
    void givenRouteWithoutCondition_whenParsed_thenConditionAndAbsentNamesAreNull() throws IOException {
        assertThat(run("route", "parse", "FROM /messages/* INTO $upstream")).isZero();

        JsonNode json = JSON.readTree(out.toString());
        assertThat(json.get("condition").isNull()).isTrue();
        assertThat(json.at("/source/kind").asText()).isEqualTo("all-messages");
        assertThat(json.at("/source/module").isNull()).isTrue();
        assertThat(json.at("/sink/kind").asText()).isEqualTo("upstream");
        assertThat(json.at("/sink/input").isNull()).isTrue();
    }

    @Test
    void givenInvalidRoute_whenParsed_thenColumnOnStderrAndExitOne() {
        int code = run("route", "parse", "FROM /messages/* WHERE a = 'b'");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().trim()).isEqualTo("error: column 31: expected INTO after condition");
    }

    @Test
    void givenNoRouteArgument_whenParsed_thenUsageAndExitTwo() {
        assertThat(run("route", "parse")).isEqualTo(2);
        assertThat(err.toString()).contains("error: ").contains("Usage:");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "$body.temp > 30 | true",
        "$body.temp > 40 | false",
        "$body.missing > 40 | undefined",
        "level = 'high' AND as_number(count) = 3 | true",
        "$connectionDeviceId = 'dev1' | true",
        "NOT is_defined($connectionModuleId) | true",
        "contains($body.name, 'um') | true"
    })
    void givenJsonMessage_whenConditionEvaluated_thenPrintsResultAndExitsZero(String condition, String expected)
            throws IOException {
        Path file = write(JSON_MESSAGE);

        assertThat(run("route", "eval", condition, "--message", file.toString())).isZero();
        assertThat(out.toString().trim()).isEqualTo(expected);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void givenStringBodyWithJsonContentType_whenEvaluated_thenBodyIsThatText() throws IOException {
        Path file = write("{\"systemProperties\":{\"contentType\":\"application/json\",\"contentEncoding\":\"UTF-8\"},"
                + "\"body\":\"{\\\"a\\\": 5}\"}");

        assertThat(run("route", "eval", "$body.a = 5", "--message", file.toString())).isZero();
        assertThat(out.toString().trim()).isEqualTo("true");
    }

    @Test
    void givenBodyWithoutJsonContentType_whenEvaluated_thenUndefinedWithNote() throws IOException {
        Path file = write("{\"body\":{\"a\":5}}");

        assertThat(run("route", "eval", "$body.a = 5", "--message", file.toString())).isZero();
        assertThat(out.toString().trim()).isEqualTo("undefined");
        assertThat(err.toString()).startsWith("note: $body is undefined unless");
    }

    @Test
    void givenANumberPropertyWrittenWithAFraction_whenEvaluated_thenItsTextIsTheRouteLanguagesSampleReaders()
            throws IOException {
        String json = "{\"systemProperties\":{\"connectionModuleId\":\"sensor\",\"outputName\":\"temp\"},"
                + "\"properties\":{\"n\":1.0}}";
        Path file = write(json);
        RouteMessage sample = SampleMessages.fromJson(json);

        assertThat(sample.properties()).containsEntry("n", "1");
        assertThat(run("route", "eval", "n = '1' AND $connectionModuleId = 'sensor'", "--message", file.toString()))
                .isZero();
        assertThat(out.toString().trim()).isEqualTo("true");
    }

    @Test
    void givenConditionThatDoesNotCompile_whenEvaluated_thenErrorAndExitOne() throws IOException {
        Path file = write(JSON_MESSAGE);

        assertThat(run("route", "eval", "level > 3", "--message", file.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().trim()).startsWith("error: column 7: cannot compare string with number");
    }

    @Test
    void givenMissingFile_whenEvaluated_thenErrorAndExitTwo() {
        assertThat(run("route", "eval", "true", "--message", dir.resolve("nope.json").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: cannot read ");
    }

    @Test
    void givenFileThatIsNotJson_whenEvaluated_thenErrorAndExitTwo() throws IOException {
        Path file = write("{\"systemProperties\": ");

        assertThat(run("route", "eval", "true", "--message", file.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ").contains("is not valid JSON");
    }

    @Test
    void givenPropertiesThatAreNotStrings_whenEvaluated_thenErrorAndExitTwo() throws IOException {
        Path file = write("{\"properties\":{\"a\":{\"nested\":1}}}");

        assertThat(run("route", "eval", "true", "--message", file.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("error: properties.a must be a string");
    }

    @Test
    void givenMissingMessageOption_whenEvaluated_thenUsageAndExitTwo() {
        assertThat(run("route", "eval", "true")).isEqualTo(2);
        assertThat(err.toString()).contains("--message");
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("message.json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
