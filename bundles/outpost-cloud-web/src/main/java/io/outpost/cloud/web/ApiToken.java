package io.outpost.cloud.web;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token as stored: never the secret itself, only its id and what it may do.
 *
 * @param id the public part of the token (the text before the {@code .}); names it in logs and lists
 * @param scope what it may do
 * @param createdAt when it was issued
 * @param description free text for people (who or what uses it)
 */
public record ApiToken(String id, TokenScope scope, Instant createdAt, String description) {

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(description, "description");
    }
}
