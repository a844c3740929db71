package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutpostCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return OutpostCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void givenVersion_whenRun_thenPrintsProjectVersion() {
        assertThat(run("version")).isZero();
        assertThat(out.toString()).startsWith("Outpost ").doesNotContain("${").doesNotContain("unknown");
        assertThat(OutpostCli.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void givenUnknownSubcommand_whenRun_thenExitTwoWithUsage() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("error: ").contains("frobnicate").contains("Usage:");
    }
}
