package io.clearhouse.core.log;

import java.util.Comparator;

/**
 * The global ids the engine gives the attempts it runs, {@code <incarnation>.<sequence>}: unique across restarts,
 * since every opening of the decision log is a new incarnation, and ordered as they were made. Banks see them in
 * their xids and the log in its commit decisions.
 */
public final class GlobalIds {
    /** Ids in the order they were made: by incarnation, then by sequence, both compared as numbers. */
    public static final Comparator<String> ORDER =
            Comparator.comparingLong(GlobalIds::incarnationOf).thenComparingLong(GlobalIds::sequenceOf);

    private GlobalIds() {}

    /** What every id of {@code incarnation} begins with; its sequence number follows. */
    public static String prefixOf(long incarnation) {
        return incarnation + ".";
    }

    /**
     * The sequence number of {@code globalId} within its incarnation.
     *
     * @throws NumberFormatException if it is not a number
     */
    public static long sequenceOf(String globalId) {
        return Long.parseLong(globalId, globalId.indexOf('.') + 1, globalId.length(), 10);
    }

    /**
     * Whether {@code globalId} was made by an incarnation after {@code incarnation}: in a cluster, by a newer leader
     * than the coordinator asking, which a deposed coordinator must leave alone, since that leader still drives it.
     * An id that is not of this form is of no later incarnation.
     */
    public static boolean isOfLaterIncarnation(String globalId, long incarnation) {
        int dot = globalId.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            return incarnationOf(globalId) > incarnation;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long incarnationOf(String globalId) {
        return Long.parseLong(globalId, 0, globalId.indexOf('.'), 10);
    }
}
