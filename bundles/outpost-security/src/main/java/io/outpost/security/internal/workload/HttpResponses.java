package io.outpost.security.internal.workload;

import java.nio.charset.StandardCharsets;

/** The bytes of a workload API answer: an HTTP/1.1 status line, JSON headers and the body. */
final class HttpResponses {

    private HttpResponses() {
    }

    /** The whole answer; with {@code keepAlive} false it tells the client that the connection closes. */
    static byte[] bytes(WorkloadApi.Response r, boolean keepAlive) {
        byte[] body = r.json().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head8.length + body.length];
        System.arraycopy(head8, 0, all, 0, head8.length);
        System.arraycopy(body, 0, all, head8.length, body.length);
        return all;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
