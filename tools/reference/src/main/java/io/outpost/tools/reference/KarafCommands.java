package io.outpost.tools.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds every Karaf console command of the repository and reads its annotations from the compiled classes.
 *
 * <p>A module has commands when a source file under its {@code src/main/java} imports Karaf's
 * {@code @Command}; every module of the repository is looked at (no list to keep up to date). The annotations
 * are read from the bytecode in {@code target/classes} with ASM, without loading the classes, so the commands'
 * own dependencies (the services they call) need not be on the class path. A command source that has no class
 * file, or one older than the source, is an error: the docs would be generated from stale classes.
 */
final class KarafCommands {

    private static final Pattern COMMAND_IMPORT =
            Pattern.compile("^import org\\.apache\\.karaf\\.shell\\.api\\.action\\.Command;", Pattern.MULTILINE);
    private static final String PKG = "Lorg/apache/karaf/shell/api/action/";
    private static final String COMMAND = PKG + "Command;";
    private static final String ARGUMENT = PKG + "Argument;";
    private static final String OPTION = PKG + "Option;";
    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", "node_modules", "src");

    private KarafCommands() {
    }

    /** The modules (folders with a pom.xml) whose main sources hold Karaf commands, relative to {@code root}. */
    static List<Path> modulesWithCommands(Path root) {
        List<Path> modules = new ArrayList<>();
        collectModules(root, root, 0, modules);
        modules.sort(Comparator.comparing(Path::toString));
        return modules;
    }

    private static void collectModules(Path root, Path dir, int depth, List<Path> out) {
        if (depth > 4) {
            return;
        }
        if (Files.isRegularFile(dir.resolve("pom.xml")) && !commandSources(dir).isEmpty()) {
            out.add(root.relativize(dir));
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (Files.isDirectory(child) && !SKIPPED_DIRS.contains(name) && !name.startsWith(".")) {
                    collectModules(root, child, depth + 1, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The main source files of a module that import Karaf's {@code @Command}. */
    static List<Path> commandSources(Path module) {
        Path sources = module.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(KarafCommands::importsCommand)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + sources, e);
        }
    }

    private static boolean importsCommand(Path file) {
        try {
            return COMMAND_IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8)).find();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every command of every module that has some, sorted by scope and name. */
    static List<ShellCommand> read(Path root) {
        List<ShellCommand> commands = new ArrayList<>();
        for (Path module : modulesWithCommands(root)) {
            commands.addAll(readModule(root, module));
        }
        commands.sort(Comparator.comparing(ShellCommand::scope).thenComparing(ShellCommand::name));
        return commands;
    }

    private static List<ShellCommand> readModule(Path root, Path module) {
        Path dir = root.resolve(module);
        Path classes = dir.resolve("target/classes");
        for (Path source : commandSources(dir)) {
            Path relative = dir.resolve("src/main/java").relativize(source);
            Path compiled = classes.resolve(relative.toString().replaceFirst("\\.java$", ".class"));
            try {
                if (!Files.isRegularFile(compiled)
                        || Files.getLastModifiedTime(compiled).compareTo(Files.getLastModifiedTime(source)) < 0) {
                    throw new IllegalStateException(module + "/src/main/java/" + relative
                            + " is not compiled or changed since: build it first (mvn -o -q compile -pl " + module
                            + " -am), or run scripts/gen-reference.sh");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + compiled, e);
            }
        }
        Map<String, ClassInfo> byName = new HashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                ClassInfo info = parse(file);
                byName.put(info.name, info);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classes, e);
        }
        List<ShellCommand> commands = new ArrayList<>();
        for (ClassInfo info : byName.values()) {
            if (info.command == null || info.isAbstract) {
                continue;
            }
            List<ShellCommand.Argument> arguments = new ArrayList<>();
            List<ShellCommand.Option> options = new ArrayList<>();
            // fields of superclasses compiled in the same module count too (Karaf reads the whole hierarchy)
            for (ClassInfo c = info; c != null; c = byName.get(c.superName)) {
                arguments.addAll(c.arguments);
                options.addAll(c.options);
            }
            arguments.sort(Comparator.comparingInt(ShellCommand.Argument::index));
            options.sort(Comparator.comparing(ShellCommand.Option::name));
            Map<String, Object> a = info.command;
            commands.add(new ShellCommand(module.toString().replace('\\', '/'), info.name.replace('/', '.'),
                    (String) a.getOrDefault("scope", ""), (String) a.getOrDefault("name", ""),
                    (String) a.getOrDefault("description", ""), (String) a.getOrDefault("detailedDescription", ""),
                    List.copyOf(arguments), List.copyOf(options)));
        }
        return commands;
    }

    /** What one class file says about commands. */
    private static final class ClassInfo {
        String name;
        String superName;
        boolean isAbstract;
        Map<String, Object> command;
        final List<ShellCommand.Argument> arguments = new ArrayList<>();
        final List<ShellCommand.Option> options = new ArrayList<>();
    }

    private static ClassInfo parse(Path file) throws IOException {
        ClassInfo info = new ClassInfo();
        try (InputStream in = Files.newInputStream(file)) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                        String[] interfaces) {
                    info.name = name;
                    info.superName = superName;
                    info.isAbstract = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) != 0;
                }

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    if (!descriptor.equals(COMMAND)) {
                        return null;
                    }
                    info.command = new LinkedHashMap<>();
                    return new Values(info.command);
                }

                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                        Object value) {
                    return new FieldVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                            if (!annotation.equals(ARGUMENT) && !annotation.equals(OPTION)) {
                                return null;
                            }
                            Map<String, Object> values = new LinkedHashMap<>();
                            return new Values(values) {
                                @Override
                                public void visitEnd() {
                                    add(info, annotation, values, descriptor);
                                }
                            };
                        }
                    };
                }
            }, ClassReader.SKIP_CODE);
        }
        return info;
    }

    private static void add(ClassInfo info, String annotation, Map<String, Object> v, String fieldDescriptor) {
        boolean multiValued = (Boolean) v.getOrDefault("multiValued", false);
        String type = typeWord(fieldDescriptor);
        if (annotation.equals(ARGUMENT)) {
            info.arguments.add(new ShellCommand.Argument((Integer) v.getOrDefault("index", 0),
                    (String) v.getOrDefault("name", "VAL"), (String) v.getOrDefault("description", ""),
                    (Boolean) v.getOrDefault("required", false), multiValued, type));
        } else {
            @SuppressWarnings("unchecked")
            List<String> aliases = (List<String>) v.getOrDefault("aliases", List.of());
            info.options.add(new ShellCommand.Option((String) v.get("name"), List.copyOf(aliases),
                    (String) v.getOrDefault("description", ""), (Boolean) v.getOrDefault("required", false),
                    multiValued, type));
        }
    }

    /** A reader's word for a field type: flag, number, text, list, or the simple class name. */
    static String typeWord(String descriptor) {
        Type t = Type.getType(descriptor);
        switch (t.getSort()) {
            case Type.BOOLEAN:
                return "flag";
            case Type.INT: case Type.LONG: case Type.SHORT: case Type.BYTE: case Type.FLOAT: case Type.DOUBLE:
                return "number";
            default:
                break;
        }
        return switch (t.getClassName()) {
            case "java.lang.Boolean" -> "flag";
            case "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.math.BigDecimal"
                    -> "number";
            case "java.lang.String" -> "text";
            case "java.util.List", "java.util.Collection", "java.util.Set" -> "text";
            default -> {
                String n = t.getClassName();
                yield n.substring(n.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
            }
        };
    }

    /** Collects an annotation's values; arrays become lists. */
    private static class Values extends AnnotationVisitor {
        private final Map<String, Object> values;

        Values(Map<String, Object> values) {
            super(Opcodes.ASM9);
            this.values = values;
        }

        @Override
        public void visit(String name, Object value) {
            values.put(name, value);
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            List<Object> list = new ArrayList<>();
            values.put(name, list);
            return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String ignored, Object value) {
                    list.add(value);
                }
            };
        }
    }
}
