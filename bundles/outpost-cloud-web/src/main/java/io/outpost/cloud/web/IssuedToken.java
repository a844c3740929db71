package io.outpost.cloud.web;

import java.util.Objects;

/**
 * A token just issued: the only moment its full text exists outside its holder. {@link #toString()} hides it.
 *
 * @param token what is stored about it
 * @param bearer the full token, {@code <id>.<secret>}, for {@code Authorization: Bearer <bearer>}
 */
public record IssuedToken(ApiToken token, String bearer) {

    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(bearer, "bearer");
    }

    @Override
    public String toString() {
        return "IssuedToken[" + token + ", bearer=hidden]";
    }
}
