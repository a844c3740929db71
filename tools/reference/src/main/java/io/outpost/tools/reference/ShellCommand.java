package io.outpost.tools.reference;

import java.util.List;

/**
 * One Karaf console command as its annotations declare it: {@code @Command} on the class, {@code @Argument} and
 * {@code @Option} on its fields (and its superclasses' fields).
 *
 * @param module the module folder the class was compiled in, relative to the repository (bundles/outpost-shell)
 * @param className the class's binary name
 */
record ShellCommand(String module, String className, String scope, String name, String description,
        String detailedDescription, List<Argument> arguments, List<Option> options) {

    /** {@code scope:name}, as typed in the console. */
    String qualifiedName() {
        return scope + ":" + name;
    }

    /** An {@code @Argument}; {@code type} is a reader's word for the field type (text, number, flag, ...). */
    record Argument(int index, String name, String description, boolean required, boolean multiValued, String type) {
    }

    /** An {@code @Option}; a flag (boolean field) takes no value. */
    record Option(String name, List<String> aliases, String description, boolean required, boolean multiValued,
            String type) {

        boolean flag() {
            return type.equals("flag");
        }
    }
}
