package io.outpost.routing.internal;

/** Function call nodes, one per arity so that a call allocates no argument array (except concat). */
final class Calls {

    /** A function implementation; the subtype fixes how many arguments it takes. */
    interface Impl {
    }

    @FunctionalInterface
    interface F1 extends Impl {
        Object apply(Object a);
    }

    @FunctionalInterface
    interface F2 extends Impl {
        Object apply(Object a, Object b);
    }

    /** Three arguments; the third is {@code null} when the call passed two. */
    @FunctionalInterface
    interface F3 extends Impl {
        Object apply(Object a, Object b, Object c);
    }

    @FunctionalInterface
    interface FN extends Impl {
        Object apply(Object[] args);
    }

    private Calls() {
    }

    static Node create(Builtins.Builtin f, Node[] args) {
        Impl impl = f.impl();
        if (impl instanceof F1 f1) {
            return new Call1(f.result(), f1, args);
        }
        if (impl instanceof F2 f2) {
            return new Call2(f.result(), f2, args);
        }
        if (impl instanceof F3 f3) {
            return new Call3(f.result(), f3, args);
        }
        return new CallN(f.result(), (FN) impl, args);
    }

    private static final class Call1 extends Node {
        private final F1 f;
        private final Node a;

        Call1(Type type, F1 f, Node[] args) {
            super(type, args);
            this.f = f;
            this.a = args[0];
        }

        @Override
        Object eval(EvalContext ctx) {
            return f.apply(a.eval(ctx));
        }
    }

    private static final class Call2 extends Node {
        private final F2 f;
        private final Node a;
        private final Node b;

        Call2(Type type, F2 f, Node[] args) {
            super(type, args);
            this.f = f;
            this.a = args[0];
            this.b = args[1];
        }

        @Override
        Object eval(EvalContext ctx) {
            return f.apply(a.eval(ctx), b.eval(ctx));
        }
    }

    private static final class Call3 extends Node {
        private final F3 f;
        private final Node a;
        private final Node b;
        private final Node c;

        Call3(Type type, F3 f, Node[] args) {
            super(type, args);
            this.f = f;
            this.a = args[0];
            this.b = args[1];
            this.c = args.length > 2 ? args[2] : null;
        }

        @Override
        Object eval(EvalContext ctx) {
            return f.apply(a.eval(ctx), b.eval(ctx), c == null ? null : c.eval(ctx));
        }
    }

    private static final class CallN extends Node {
        private final FN f;
        private final Node[] args;

        CallN(Type type, FN f, Node[] args) {
            super(type, args);
            this.f = f;
            this.args = args.clone();
        }

        @Override
        Object eval(EvalContext ctx) {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(ctx);
            }
            return f.apply(values);
        }
    }

    /**
     * {@code twin_change_includes(path)}: TRUE when the twin change notification's body has a non-null
     * value at {@code path} (an object counts), FALSE when the value is null, UNDEFINED when it is absent.
     */
    static final class TwinChangeIncludes extends Node {
        private final BodyPath path;

        TwinChangeIncludes(BodyPath path) {
            super(Type.BOOL, true);
            this.path = path;
        }

        @Override
        Object eval(EvalContext ctx) {
            Object body = ctx.twinBody();
            Object v = body == Values.UNDEFINED ? body : path.select(body);
            return v == Values.UNDEFINED ? v : (Object) (v != Values.NULL);
        }
    }
}
