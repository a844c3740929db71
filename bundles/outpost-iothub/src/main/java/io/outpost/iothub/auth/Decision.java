package io.outpost.iothub.auth;

/** What {@link AuthenticatorCore#authenticate} decided: returned, never thrown. */
public sealed interface Decision permits Accepted, Refusal {
}
