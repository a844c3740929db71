package io.outpost.hub;

/** Message priorities as Azure IoT Edge routes give them: 0 is the highest, 9 the lowest. */
public final class Priorities {

    /** The highest priority, served first. */
    public static final int HIGHEST = 0;
    /** The lowest priority, and the default of a route that names none. */
    public static final int LOWEST = 9;
    /** The number of priority levels. */
    public static final int LEVELS = LOWEST - HIGHEST + 1;

    private Priorities() {
    }

    /** Returns {@code priority} if it is within 0..9, else throws {@link IllegalArgumentException}. */
    public static int check(int priority) {
        if (priority < HIGHEST || priority > LOWEST) {
            throw new IllegalArgumentException("priority must be within 0..9 (0 highest): " + priority);
        }
        return priority;
    }
}
