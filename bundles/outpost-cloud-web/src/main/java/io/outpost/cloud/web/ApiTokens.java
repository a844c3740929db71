package io.outpost.cloud.web;

import java.util.List;
import java.util.Optional;

/**
 * The REST API's tokens. A token reads {@code <id>.<secret>}; only the SHA-256 of the whole token is kept, so a
 * lost token cannot be shown again, only revoked and replaced.
 */
public interface ApiTokens {

    /** Issues a new token; its full text is returned once, here. */
    IssuedToken create(TokenScope scope, String description);

    /** Every token, by id, without secrets. */
    List<ApiToken> list();

    /** Revokes a token; false when there was none with that id. */
    boolean revoke(String id);

    /** The token that {@code bearer} is, if it is a valid one (compared in constant time). */
    Optional<ApiToken> authenticate(String bearer);
}
