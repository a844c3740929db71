package io.outpost.bench.hub;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The benchmark's message body: {@value #SIZE} bytes carrying the run it belongs to, its sequence number and its
 * time ({@link System#nanoTime()} of this JVM: the intended send time in the paced scenario, the send time
 * otherwise), padded.
 */
record Payload(int run, int seq, long nanos) {

    static final int SIZE = 256;
    private static final int MAGIC = 0x0B7B_E7C4;
    private static final byte[] PADDING = filled();

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putInt(run).putInt(seq).putLong(nanos);
        b.put(PADDING, 0, b.remaining());
        return b.array();
    }

    /** The payload, or null when the bytes are not one of ours. */
    static Payload decode(byte[] bytes) {
        if (bytes.length != SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt() != MAGIC) {
            return null;
        }
        return new Payload(b.getInt(), b.getInt(), b.getLong());
    }

    private static byte[] filled() {
        byte[] p = new byte[SIZE];
        Arrays.fill(p, (byte) 'x');
        return p;
    }
}
