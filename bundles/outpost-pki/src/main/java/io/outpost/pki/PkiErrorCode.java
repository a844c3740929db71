package io.outpost.pki;

import io.outpost.common.ErrorCode;

/** Error codes of certificates, keys and SAS tokens. */
public enum PkiErrorCode implements ErrorCode {
    /** A SAS token does not have the form {@code SharedAccessSignature sr=...&sig=...&se=...}. */
    TOKEN_MALFORMED("token-malformed"),
    /** A SAS token's signature does not match the identity's key. */
    TOKEN_SIGNATURE("token-signature-invalid"),
    /** A SAS token is for another resource than the identity that presents it. */
    TOKEN_RESOURCE("token-resource-mismatch"),
    /** A SAS token's expiry has passed. */
    TOKEN_EXPIRED("token-expired"),
    /** PEM text holds no object of the kind asked for (certificate, private key). */
    PEM_MISSING("pem-missing"),
    /** A PEM private key is encrypted with a passphrase. */
    KEY_ENCRYPTED("key-encrypted"),
    /** Keys or certificates could not be created, read or written. */
    CRYPTO_FAILED("crypto-failed");

    private final String code;

    PkiErrorCode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
