package io.outpost.container;

import java.util.Objects;

/** A chunk of a container's output, normally one line including its line end, and the stream it came from. */
public record LogLine(Stream stream, String text) {

    /** Where the output came from; a container with a TTY has one combined stream, reported as STDOUT. */
    public enum Stream { STDOUT, STDERR }

    public LogLine {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }
}
