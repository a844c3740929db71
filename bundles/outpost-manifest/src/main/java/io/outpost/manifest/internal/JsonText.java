package io.outpost.manifest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson, configured once for untrusted input: nesting depth, string and document length are bounded
 * while parsing, duplicate keys and trailing content are refused. Failures become one problem each, at
 * the pointer where the parser stopped.
 */
final class JsonText {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '([^']*)'");

    private final ObjectMapper mapper;
    private final int maxDepth;

    JsonText(int maxBytes, int maxDepth) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxDocumentLength(maxBytes)
                .maxStringLength(maxBytes)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        this.maxDepth = maxDepth;
    }

    /** Thrown with a message for people and the pointer inside the parsed text where parsing stopped. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String pointer;

        Failure(String message, String pointer) {
            super(message);
            this.pointer = pointer;
        }

        String pointer() {
            return pointer;
        }
    }

    JsonNode parse(byte[] bytes) throws Failure {
        try (JsonParser parser = mapper.createParser(bytes)) {
            return read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("closing an in-memory parser", e);
        }
    }

    JsonNode parse(String text) throws Failure {
        try (JsonParser parser = mapper.createParser(text)) {
            return read(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("closing an in-memory parser", e);
        }
    }

    /** Compact JSON text of a tree. */
    String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always serializes", e);
        }
    }

    private JsonNode read(JsonParser parser) throws Failure {
        try {
            JsonNode node = mapper.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw new Failure("no JSON value", "");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new Failure(constraintMessage(e), where(parser));
        } catch (JsonProcessingException e) {
            throw new Failure(syntaxMessage(e), where(parser));
        } catch (IOException e) {
            throw new Failure("not readable: " + e.getMessage(), "");
        }
    }

    private String constraintMessage(StreamConstraintsException e) {
        String text = String.valueOf(e.getOriginalMessage());
        if (text.contains("depth")) {
            return "objects and arrays are nested deeper than the limit of " + maxDepth + " levels";
        }
        return "the document exceeds a size limit: " + text;
    }

    private static String syntaxMessage(JsonProcessingException e) {
        String text = String.valueOf(e.getOriginalMessage());
        Matcher dup = DUPLICATE.matcher(text);
        String what = dup.find()
                ? "duplicate key " + Json.quote(dup.group(1)) + "; each key may appear once in an object"
                : firstLine(text);
        if (e.getLocation() == null) {
            return "not valid JSON: " + what;
        }
        return "not valid JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                + ": " + what;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private static String where(JsonParser parser) {
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        return pointer.isEmpty() || pointer.startsWith("/") ? pointer : "";
    }
}
