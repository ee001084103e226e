package io.clearhouse.cli;

/**
 * Whether standard error is a terminal. Java cannot ask isatty for one stream, so the launcher, which can
 * ({@code [ -t 2 ]}), passes its answer as the system property {@code clearhouse.stderr.terminal}; without it the
 * console's presence is the best guess.
 */
final class Terminal {
    static final String PROPERTY = "clearhouse.stderr.terminal";

    private Terminal() {}

    static boolean stderrIsTerminal() {
        String told = System.getProperty(PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        return System.console() != null;
    }
}
