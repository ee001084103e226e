package io.clearhouse.core.recovery;

/**
 * What one pass of recovery while running did.
 *
 * @param committed branches committed: abandoned commits, and prepared branches of earlier incarnations whose
 *     commit decision the log holds
 * @param rolledBack branches rolled back: abandoned rollbacks, and prepared branches no commit decision names
 *     (presumed abort)
 * @param skippedInFlight prepared branches left alone because their transaction was in flight when the pass began,
 *     or began later
 * @param stillInDoubt branches whose commit or rollback failed, plus one for each bank whose {@code recover()}
 *     failed, since its branches are unknown; the next pass tries them again
 */
public record InDoubtReport(int committed, int rolledBack, int skippedInFlight, int stillInDoubt) {
    /** A pass that found nothing to do, or did not run because the coordinator is closed. */
    public static final InDoubtReport NOTHING = new InDoubtReport(0, 0, 0, 0);
}
