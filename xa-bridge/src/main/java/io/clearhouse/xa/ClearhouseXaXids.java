package io.clearhouse.xa;

import io.clearhouse.spi.Xid;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A Clearhouse xid in XA form, for the XA resource managers that Clearhouse drives ({@link XAResourceParticipant}):
 * format id {@value #FORMAT_ID} ({@code 0x436C4831}, "ClH1"), the UTF-8 of the transaction id as the global
 * transaction id and the UTF-8 of the bank id as the branch qualifier, each at most 64 bytes as XA allows. It is the
 * format the jdbc bank's {@code xa} mode gives its prepared transactions. The reverse mapping takes only xids of this
 * format and of the bank asking, so that a resource manager's branches of other transaction managers, and of other
 * banks sharing it, are left alone.
 */
public final class ClearhouseXaXids {
    public static final int FORMAT_ID = 0x436C4831;
    public static final int PART_BYTES_MAX = javax.transaction.xa.Xid.MAXGTRIDSIZE;

    private ClearhouseXaXids() {}

    /** Whether {@code id} fits in one part of an XA xid. */
    public static boolean fits(String id) {
        return !id.isEmpty() && id.getBytes(StandardCharsets.UTF_8).length <= PART_BYTES_MAX;
    }

    /**
     * The XA form of {@code xid}.
     *
     * @throws IllegalArgumentException when the transaction or bank id does not {@link #fits fit}
     */
    public static XaBranchId toXa(Xid xid) {
        if (!fits(xid.transactionId()) || !fits(xid.bankId())) {
            throw new IllegalArgumentException("an XA xid holds 1.." + PART_BYTES_MAX + " bytes per part: " + xid);
        }
        return XaBranchId.of(
                FORMAT_ID,
                xid.transactionId().getBytes(StandardCharsets.UTF_8),
                xid.bankId().getBytes(StandardCharsets.UTF_8));
    }

    /** The Clearhouse xid of an XA xid of bank {@code bankId}, or empty for any other xid. */
    public static Optional<Xid> fromXa(javax.transaction.xa.Xid xid, String bankId) {
        if (xid.getFormatId() != FORMAT_ID) {
            return Optional.empty();
        }
        String transactionId = new String(xid.getGlobalTransactionId(), StandardCharsets.UTF_8);
        String bank = new String(xid.getBranchQualifier(), StandardCharsets.UTF_8);
        if (!bank.equals(bankId) || !fits(transactionId)) {
            return Optional.empty();
        }
        Xid clearhouse = new Xid(transactionId, bank);
        // Bytes that are not UTF-8 decode with replacement characters: such an xid was not made by toXa.
        return toXa(clearhouse).equals(xid) ? Optional.of(clearhouse) : Optional.empty();
    }
}
