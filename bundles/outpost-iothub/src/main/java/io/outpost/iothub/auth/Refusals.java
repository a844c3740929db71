package io.outpost.iothub.auth;

/** The stable codes of {@link Refusal}s; hosts log them, operators and tests match on them. */
public final class Refusals {

    /** The user name is not {@code <hub>/<device>[/<module>][/?...]}. */
    public static final String USER_NAME_MALFORMED = "user-name-malformed";
    /** The user name names another hub than the pinned one. */
    public static final String HUB_NAME_MISMATCH = "hub-name-mismatch";
    /** The client id is not the identity the user name names. */
    public static final String CLIENT_ID_MISMATCH = "client-id-mismatch";
    /** No such device or module. */
    public static final String IDENTITY_UNKNOWN = "identity-unknown";
    /** The device (or the module's device) is disabled. */
    public static final String DEVICE_DISABLED = "device-disabled";
    /** The identity has no credential of the kind presented. */
    public static final String AUTH_TYPE = "auth-type";
    /** The password is not a readable SAS token. */
    public static final String TOKEN_MALFORMED = "token-malformed";
    /** No key the identity may use signed the token. */
    public static final String TOKEN_SIGNATURE = "token-signature-invalid";
    /** The token is for another resource. */
    public static final String TOKEN_RESOURCE = "token-resource-mismatch";
    /** The token expired (at {@code se}, exclusive). */
    public static final String TOKEN_EXPIRED = "token-expired";
    /** The token expires further ahead than {@link AuthPolicy#maxTokenLifetime()}. */
    public static final String TOKEN_LIFETIME = "token-lifetime";
    /** Neither a password nor a client certificate. */
    public static final String NO_CREDENTIAL = "no-credential";
    /** The client certificate is not valid now ({@code [notBefore, notAfter]}, inclusive). */
    public static final String CERTIFICATE_EXPIRED = "certificate-expired";
    /** No thumbprint the identity may use is the certificate's. */
    public static final String CERTIFICATE_THUMBPRINT = "certificate-thumbprint";
    /** The certificate's common name is not the identity it must name. */
    public static final String CERTIFICATE_SUBJECT = "certificate-subject";
    /** The certificate does not chain to a trusted CA. */
    public static final String CERTIFICATE_UNTRUSTED = "certificate-untrusted";
    /** The CA-issued certificate lacks the clientAuth extended key usage. */
    public static final String CERTIFICATE_USAGE = "certificate-usage";

    private Refusals() {
    }
}
