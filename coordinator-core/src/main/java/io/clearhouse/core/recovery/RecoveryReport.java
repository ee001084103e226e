package io.clearhouse.core.recovery;

import java.util.Map;

/**
 * What recovery found and did.
 *
 * @param outcomes every client outcome in the log, by client id
 * @param committedBranches prepared branches committed because the log holds their commit decision
 * @param rolledBackBranches prepared branches rolled back because it does not (presumed abort)
 * @param redrivenDecisions commit decisions without a completion record, driven to completion again
 */
public record RecoveryReport(
        Map<String, RecoveredOutcome> outcomes, int committedBranches, int rolledBackBranches, int redrivenDecisions) {}
