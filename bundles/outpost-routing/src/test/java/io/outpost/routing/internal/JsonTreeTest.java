package io.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body reader over the {@link JsonCorpus} of tricky bodies, each against its recorded rendering. */
class JsonTreeTest {

    @Test
    void givenCorpus_whenRead_thenRecordedValues() {
        List<String> wrong = new ArrayList<>();
        for (JsonCorpus.Case c : JsonCorpus.cases()) {
            String got = JsonCorpus.render(JsonTree.read(c.body()));
            if (!got.equals(c.expected())) {
                String shown = c.body().length() > 60 ? c.body().substring(0, 60) + "..." : c.body();
                wrong.add(JsonCorpus.render(shown) + " expected " + c.expected() + " got " + got);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void givenSameKeyTwice_whenRead_thenLastValueWins() {
        assertThat(JsonCorpus.render(JsonTree.read("{\"a\":1,\"b\":{\"c\":\"x\"},\"a\":[true,null]}")))
                .isEqualTo("{\"a\":[true,null],\"b\":{\"c\":\"x\"}}");
    }
}
