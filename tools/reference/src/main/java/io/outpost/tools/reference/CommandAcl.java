package io.outpost.tools.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The roles Karaf's command ACLs give Outpost's commands: every {@code <config name="org.apache.karaf.command.acl.SCOPE">}
 * of the feature files under {@code features/src/main/feature}. Each line of such a config is
 * {@code command = role[,role]}, optionally {@code command[/argument regex/] = role}.
 */
final class CommandAcl {

    private static final String PREFIX = "org.apache.karaf.command.acl.";
    private final Map<String, List<String>> rules = new LinkedHashMap<>();

    private CommandAcl() {
    }

    static CommandAcl read(Path root) {
        CommandAcl acl = new CommandAcl();
        Path dir = root.resolve("features/src/main/feature");
        if (!Files.isDirectory(dir)) {
            return acl;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
                acl.readFeatures(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir, e);
        }
        return acl;
    }

    private void readFeatures(Path file) {
        NodeList configs;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            configs = f.newDocumentBuilder().parse(file.toFile()).getElementsByTagNameNS("*", "config");
            if (configs.getLength() == 0) {
                configs = f.newDocumentBuilder().parse(file.toFile()).getElementsByTagName("config");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < configs.getLength(); i++) {
            Element config = (Element) configs.item(i);
            String name = config.getAttribute("name");
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String scope = name.substring(PREFIX.length());
            for (String line : config.getTextContent().split("\n")) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                    continue;
                }
                String key = l.substring(0, eq).strip();
                String roles = l.substring(eq + 1).strip();
                int bracket = key.indexOf('[');
                String command = bracket < 0 ? key : key.substring(0, bracket);
                String rule = bracket < 0 ? roles : roles + " when the arguments match " + key.substring(bracket);
                rules.computeIfAbsent(scope + ":" + command, k -> new ArrayList<>()).add(rule);
            }
        }
    }

    /** The role(s) needed for {@code scope:name}, or "any user" when no ACL names the command. */
    String role(String qualifiedName) {
        List<String> r = rules.get(qualifiedName);
        return r == null ? "any user" : String.join("; ", r);
    }
}
