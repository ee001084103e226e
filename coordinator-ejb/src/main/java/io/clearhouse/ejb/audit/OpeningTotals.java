package io.clearhouse.ejb.audit;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The opening totals the audit compares with: from the banks file for a bank whose entry lists accounts, and for any
 * other (a remote bank) its posted total at the first settled audit that read it, kept for the life of the server.
 * Since committed transactions sum to zero, a settled total is the opening total if money was conserved until then;
 * the audit proves conservation for such a bank from that audit on, not before, and after a restart from its next
 * first audit.
 */
public final class OpeningTotals {
    private final Map<String, OpeningTotal> known = new LinkedHashMap<>();

    /** @param fromBanksFile the opening total of every bank whose entry in the banks file lists accounts */
    public OpeningTotals(Map<String, BigInteger> fromBanksFile) {
        fromBanksFile.forEach(
                (bankId, total) -> known.put(bankId, new OpeningTotal(total, OpeningTotal.Source.BANKS_FILE)));
    }

    /** The totals known once {@code readings} are taken into account; a bank still unknown is absent. */
    public synchronized Map<String, OpeningTotal> after(List<BankReading> readings, boolean settled) {
        if (settled) {
            for (BankReading reading : readings) {
                if (reading instanceof BankReading.Read read && !known.containsKey(read.bankId())) {
                    known.put(
                            read.bankId(),
                            new OpeningTotal(read.postedTotal(), OpeningTotal.Source.FIRST_SETTLED_AUDIT));
                }
            }
        }
        return Map.copyOf(known);
    }
}
