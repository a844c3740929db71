package io.outpost.routing.internal;

import io.outpost.routing.Condition;
import io.outpost.routing.RouteMessage;
import io.outpost.routing.TriState;
import java.util.Objects;

/** A condition compiled to a tree of nodes; immutable, so any number of threads evaluate it at once. */
public final class CompiledCondition implements Condition {

    /** The condition of a route without WHERE. */
    public static final CompiledCondition ALWAYS = new CompiledCondition("true", new Node.Literal(Type.BOOL, Boolean.TRUE));

    private final String text;
    private final Node root;

    CompiledCondition(String text, Node root) {
        this.text = Objects.requireNonNull(text, "text");
        this.root = Objects.requireNonNull(root, "root");
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public TriState evaluate(RouteMessage message) {
        return Values.truth(root.eval(new EvalContext(message)));
    }

    @Override
    public boolean readsBody() {
        return root.readsBody;
    }

    @Override
    public String toString() {
        return text;
    }
}
