package io.outpost.routing.internal;

import io.outpost.routing.MessageSource;
import io.outpost.routing.RouteMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a sample message of the form {@code {"systemProperties":{...},"properties":{...},"body":...}}. */
public final class MessageJson {

    private MessageJson() {
    }

    /** See {@link io.outpost.routing.SampleMessages#fromJson(String)}. */
    public static RouteMessage read(String json) {
        Object root = JsonTree.read(json);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a sample message must be one JSON object");
        }
        Map<String, String> sys = strings(map.get("systemProperties"), "systemProperties");
        Map<String, String> props = strings(map.get("properties"), "properties");
        Object body = map.get("body");
        byte[] bytes = body == null ? new byte[0] : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : write(body, new StringBuilder()).toString().getBytes(StandardCharsets.UTF_8);
        return new RouteMessage(sender(sys), sys, props, bytes);
    }

    private static Map<String, String> strings(Object node, String field) {
        Map<String, String> out = new HashMap<>();
        if (node == null || node == Values.NULL) {
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map || v instanceof List || v == Values.NULL) {
                throw new IllegalArgumentException(field + "." + e.getKey() + " must be a string");
            }
            out.put((String) e.getKey(), v instanceof Double d ? number(d) : String.valueOf(v));
        }
        return out;
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static StringBuilder write(Object v, StringBuilder out) {
        if (v instanceof Map<?, ?> map) {
            out.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(e.getKey(), out.append(sep)).append(':');
                write(e.getValue(), out);
                sep = ",";
            }
            return out.append('}');
        }
        if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                write(list.get(i), out.append(i == 0 ? "" : ","));
            }
            return out.append(']');
        }
        if (v instanceof String s) {
            out.append('"');
            s.chars().forEach(c -> out.append(c == '"' || c == '\\' ? "\\" + (char) c
                    : c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
            return out.append('"');
        }
        return out.append(v == Values.NULL ? "null" : v instanceof Double d ? number(d) : String.valueOf(v));
    }

    /** The module named by {@code connectionModuleId} when set, else the device {@code connectionDeviceId}. */
    private static MessageSource sender(Map<String, String> sys) {
        String module = sys.get("connectionModuleId");
        if (module != null && !module.isEmpty()) {
            String output = sys.get("outputName");
            return MessageSource.module(module, output == null || output.isEmpty() ? null : output);
        }
        String device = sys.get("connectionDeviceId");
        return MessageSource.device(device == null || device.isEmpty() ? "device" : device);
    }
}
