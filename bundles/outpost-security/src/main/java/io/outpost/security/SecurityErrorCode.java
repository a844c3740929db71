package io.outpost.security;

import io.outpost.common.ErrorCode;

/** Error codes of the security area. */
public enum SecurityErrorCode implements ErrorCode {
    /** A SAS token does not have the form {@code SharedAccessSignature sr=...&sig=...&se=...}. */
    TOKEN_MALFORMED("token-malformed"),
    /** A SAS token's signature does not match the identity's key. */
    TOKEN_SIGNATURE("token-signature-invalid"),
    /** A SAS token is for another resource than the identity that presents it. */
    TOKEN_RESOURCE("token-resource-mismatch"),
    /** A SAS token's expiry has passed. */
    TOKEN_EXPIRED("token-expired"),
    /** No identity has that device (and module) id. */
    UNKNOWN_IDENTITY("identity-unknown"),
    /** An identity already exists with that id. */
    IDENTITY_EXISTS("identity-exists"),
    /** Keys or certificates could not be created, read or written. */
    CRYPTO_FAILED("crypto-failed");

    private final String code;

    SecurityErrorCode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
