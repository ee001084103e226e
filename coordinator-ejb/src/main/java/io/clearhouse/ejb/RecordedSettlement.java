package io.clearhouse.ejb;

import io.clearhouse.core.recovery.ManualSettlementResult;

/** What a settlement by hand came to, with the id of its entry in the audit trail. */
public record RecordedSettlement(long auditId, ManualSettlementResult result) {}
