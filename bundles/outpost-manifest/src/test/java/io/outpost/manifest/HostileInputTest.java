package io.outpost.manifest;

import static io.outpost.manifest.Samples.AGENT;
import static io.outpost.manifest.Samples.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Input built to hurt: refused cheaply, with a clear error, never a stack overflow or a hang. */
class HostileInputTest {

    /** A generous bound that only a parser doing far more than linear work, or hanging, would exceed. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final ManifestParser parser = new ManifestParser();

    private static Problem onlyError(ValidationResult result) {
        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }

    @Test
    void givenDocumentAboveSizeLimit_whenParsed_thenTooLargeWithoutParsing() {
        String huge = "{\"modulesContent\":{\"a\":\"" + "x".repeat(ManifestLimits.DEFAULT_MAX_BYTES) + "\"}}";

        ValidationResult result = assertTimeoutPreemptively(BOUND, () -> parser.parse(huge));

        Problem error = onlyError(result);
        assertThat(error.pointer()).isEmpty();
        assertThat(error.message()).isEqualTo("the manifest is larger than the limit of 4194304 bytes");
        assertThat(result.errorCode()).contains(ManifestErrorCode.TOO_LARGE);
        assertThat(parser.parse(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8)).errorCode())
                .contains(ManifestErrorCode.TOO_LARGE);
    }

    @Test
    void givenEndlessStream_whenParsed_thenReadsJustPastTheLimitAndRefuses() throws IOException {
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                served += len;
                return len;
            }
        };

        ValidationResult result = parser.parse(endless);

        assertThat(result.errorCode()).contains(ManifestErrorCode.TOO_LARGE);
    }

    @Test
    void givenDeeplyNestedArrays_whenParsed_thenRefusedAtDepthLimit() {
        String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);

        ValidationResult result = assertTimeoutPreemptively(BOUND, () -> parser.parse(deep));

        Problem error = onlyError(result);
        assertThat(error.message()).contains("nested deeper than the limit of 64 levels");
        // The refused value is element 0 of the 64th array.
        assertThat(error.pointer()).isEqualTo("/0".repeat(64));
    }

    @Test
    void givenDeeplyNestedObjectsInsideModulesContent_whenParsed_thenPointerShowsWhere() {
        String deep = "{\"modulesContent\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101);

        Problem error = onlyError(parser.parse(deep));

        assertThat(error.pointer()).startsWith("/modulesContent/a/a/a/");
        assertThat(error.message()).contains("nested deeper than the limit of 64 levels");
    }

    @Test
    void givenDeeplyNestedCreateOptions_whenParsed_thenErrorAtCreateOptions() {
        String options = "{\"a\":".repeat(80) + "1" + "}".repeat(80);
        String json = Samples.edited(Samples.STARTUP_ORDER, root -> {
            at(root, AGENT + "/modules/dashboard/settings").put("createOptions", options.substring(0, 480));
            at(root, AGENT + "/modules/dashboard/settings").put("createOptions01", options.substring(480));
        });

        Problem error = onlyError(parser.parse(json));

        assertThat(error.pointer()).isEqualTo(AGENT + "/modules/dashboard/settings/createOptions");
        assertThat(error.message()).contains("nested deeper than the limit of 64 levels");
    }

    @Test
    void givenHugeWrongValue_whenParsed_thenMessageStaysShort() {
        String json = Samples.edited(Samples.STARTUP_ORDER, root -> at(root, AGENT + "/modules/dashboard")
                .put("restartPolicy", "x".repeat(1_000_000)));

        Problem error = onlyError(parser.parse(json));

        assertThat(error.pointer()).isEqualTo(AGENT + "/modules/dashboard/restartPolicy");
        assertThat(error.message()).hasSizeLessThan(200).contains("is not a restart policy");
    }

    @Test
    void givenManyBrokenModules_whenParsed_thenProblemsCappedAtLimit() {
        ManifestParser strict = new ManifestParser(new ManifestLimits(ManifestLimits.DEFAULT_MAX_BYTES, 64, 10));
        String json = Samples.edited(Samples.STARTUP_ORDER, root -> {
            for (int i = 0; i < 5000; i++) {
                at(root, AGENT + "/modules").put("m" + i, "not an object");
            }
        });

        ValidationResult result = assertTimeoutPreemptively(BOUND, () -> strict.parse(json));

        assertThat(result.problems()).hasSize(11);
        assertThat(result.problems().get(10).message()).isEqualTo("more than 10 problems; validation stopped there");
    }

    @Test
    void givenCustomLimits_whenDocumentExceedsThem_thenRefused() {
        ManifestParser small = new ManifestParser(new ManifestLimits(1000, 8, 100));
        String quickstart = Samples.text(Samples.QUICKSTART);

        assertThat(small.parse(quickstart).errors().get(0).message()).contains("limit of 1000 bytes");
        String nested = "{\"modulesContent\":" + "{\"a\":".repeat(10) + "1" + "}".repeat(11);
        assertThat(small.parse(nested).errors().get(0).message()).contains("limit of 8 levels");
    }
}
