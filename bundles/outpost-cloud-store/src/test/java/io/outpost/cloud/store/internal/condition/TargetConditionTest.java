package io.outpost.cloud.store.internal.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.store.internal.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class TargetConditionTest {

    private static final Map<String, TwinView> TWINS = Map.of(
            "siteA", twin("gw-a", """
                    {"site": "A", "environment": "prod", "rack": 3, "temperature": 4.5, "gpu": true,
                     "location": {"building": "north"}, "site-code": "A-1"}""",
                    """
                    {"runtime": {"platform": {"os": "linux"}}}"""),
            "siteB", twin("gw-b", """
                    {"site": "B", "environment": "dev", "gpu": false}""", "{}"),
            "bare", twin("gw-c", "{\"note\": null}", "{}"),
            "quote", twin("gw-d", "{\"site\": \"it's\"}", "{}"));

    private static TwinView twin(String id, String tags, String reported) {
        return new TwinView(id, Json.parseObject(tags, "tags"), Json.parseObject(reported, "reported"));
    }

    @ParameterizedTest(name = "[{index}] {0} on {1}")
    @CsvFileSource(resources = "conditions-valid.csv", delimiter = ';', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void givenValidCondition_whenEvaluatedOnSampleTwin_thenMatchesAsExpected(String condition, String twin,
            boolean expected) {
        TargetCondition parsed = TargetCondition.parse(condition);

        assertThat(parsed.matches(TWINS.get(twin))).as("%s on %s", condition, twin).isEqualTo(expected);
        assertThat(parsed.text()).isEqualTo(condition);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "conditions-invalid.csv", delimiter = ';', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void givenInvalidCondition_whenParsed_thenErrorNamesColumnAndWhatWasExpected(String condition, int column,
            String gist) {
        TargetConditionException e = catchThrowableOfType(TargetConditionException.class,
                () -> TargetCondition.parse(condition));

        assertThat(e).as("must be refused: %s", condition).isNotNull();
        assertThat(e.getMessage()).startsWith("column " + column + ": ").contains(gist);
        assertThat(e.column()).isEqualTo(column);
        assertThat(e.detail()).contains(gist);
        assertThat(e.errorCode()).isEqualTo(CloudErrorCode.CONDITION_SYNTAX);
    }

    @Test
    void givenNullCondition_whenParsed_thenRefusedAtColumnOne() {
        TargetConditionException e = catchThrowableOfType(TargetConditionException.class,
                () -> TargetCondition.parse(null));

        assertThat(e.getMessage()).isEqualTo("column 1: expected a condition");
    }

    @Test
    void givenConditionLongerThanLimit_whenParsed_thenRefusedWithoutReadingIt() {
        String condition = "tags.site = '" + "x".repeat(TargetCondition.MAX_LENGTH) + "'";

        TargetConditionException e = catchThrowableOfType(TargetConditionException.class,
                () -> TargetCondition.parse(condition));

        assertThat(e.column()).isEqualTo(TargetCondition.MAX_LENGTH + 1);
    }

    @Test
    void givenParenthesesNestedTooDeep_whenParsed_thenRefusedAtTheFirstTooDeepLevel() {
        String condition = "(".repeat(Parser.MAX_DEPTH + 1) + "tags.a = 1" + ")".repeat(Parser.MAX_DEPTH + 1);

        TargetConditionException e = catchThrowableOfType(TargetConditionException.class,
                () -> TargetCondition.parse(condition));

        assertThat(e.getMessage()).contains("nested deeper than " + Parser.MAX_DEPTH);
        assertThat(e.column()).isEqualTo(Parser.MAX_DEPTH + 1);
    }
}
