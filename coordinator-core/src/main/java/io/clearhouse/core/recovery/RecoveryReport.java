package io.clearhouse.core.recovery;

/**
 * What recovery found and did.
 *
 * @param committedBranches prepared branches committed because the log holds their commit decision
 * @param rolledBackBranches prepared branches rolled back because it does not (presumed abort)
 * @param redrivenDecisions commit decisions without a completion record, driven to completion again
 */
public record RecoveryReport(int committedBranches, int rolledBackBranches, int redrivenDecisions) {}
