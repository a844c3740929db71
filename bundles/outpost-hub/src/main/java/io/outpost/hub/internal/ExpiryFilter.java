package io.outpost.hub.internal;

import java.util.Map;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.selector.filter.Filterable;

/**
 * Matches the messages whose TTL passed at {@code nowMillis} (Outpost's clock, not the broker's) and adds up
 * the quota size of every message it matched, so that a sweep knows how many bytes it freed.
 */
final class ExpiryFilter implements Filter {

    private final long nowMillis;
    private long matchedBytes;

    ExpiryFilter(long nowMillis) {
        this.nowMillis = nowMillis;
    }

    @Override
    public boolean match(Message message) {
        if (MessageCodec.expiresAtMillis(message) <= nowMillis) {
            matchedBytes += MessageCodec.size(message);
            return true;
        }
        return false;
    }

    @Override
    public boolean match(Map<String, String> map) {
        return false;
    }

    @Override
    public boolean match(Filterable filterable) {
        return false;
    }

    @Override
    public SimpleString getFilterString() {
        return SimpleString.of(MessageCodec.EXPIRES_AT + " <= " + nowMillis);
    }

    long matchedBytes() {
        return matchedBytes;
    }
}
