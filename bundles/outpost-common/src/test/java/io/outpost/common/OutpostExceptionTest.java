package io.outpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class OutpostExceptionTest {

    @Test
    void givenCodeDefault_whenNotOverridden_thenRetryableFollowsCode() {
        assertThat(new OutpostException(CommonErrorCode.UNAVAILABLE, "engine down").retryable()).isTrue();
        assertThat(new OutpostException(CommonErrorCode.INVALID_ARGUMENT, "bad").retryable()).isFalse();
    }

    @Test
    void givenExplicitFlag_whenThrown_thenFlagWinsAndCauseIsChained() {
        IOException cause = new IOException("socket closed");
        OutpostException e = new OutpostException(CommonErrorCode.INTERNAL, "pull failed", true, cause);

        assertThat(e.retryable()).isTrue();
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.errorCode()).isEqualTo(CommonErrorCode.INTERNAL);
        assertThat(e).hasToString("OutpostException[internal, retryable]: pull failed");
    }

    @Test
    void givenForeignThrowable_whenAskedIfRetryable_thenNo() {
        assertThat(OutpostException.isRetryable(new IllegalStateException())).isFalse();
        assertThat(OutpostException.isRetryable(new OutpostException(CommonErrorCode.TIMEOUT, "slow"))).isTrue();
    }
}
