package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.Xid;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A Clearhouse xid as an XA xid, and as the global transaction id (GID) PostgreSQL lists in {@code
 * pg_prepared_xacts}.
 *
 * <p>The format id is {@value #FORMAT_ID} ({@code 0x436C4831}, "ClH1"); the global transaction id is the UTF-8 of the
 * coordinator's transaction id and the branch qualifier the UTF-8 of the bank id, each at most {@value #PART_BYTES_MAX}
 * bytes as XA allows. pgjdbc writes the GID as {@code <format id>_<base64 gtrid>_<base64 bqual>}, for example {@code
 * 1131169841_MTcuNDI=_YmFuay0x} for transaction {@code 17.42} at bank {@code bank-1}. A bank lists as its own only the
 * GIDs of this format id and its own bank id, so the prepared transactions of other transaction managers, and of other
 * banks, in the same database are left alone.
 */
final class BranchXid implements javax.transaction.xa.Xid {
    static final int FORMAT_ID = 0x436C4831;
    static final int PART_BYTES_MAX = javax.transaction.xa.Xid.MAXGTRIDSIZE;

    private final Xid xid;
    private final byte[] globalTransactionId;
    private final byte[] branchQualifier;

    private BranchXid(Xid xid) {
        this.xid = xid;
        this.globalTransactionId = xid.transactionId().getBytes(StandardCharsets.UTF_8);
        this.branchQualifier = xid.bankId().getBytes(StandardCharsets.UTF_8);
        if (!fits(xid.transactionId()) || !fits(xid.bankId())) {
            throw new IllegalArgumentException("an XA xid holds at most " + PART_BYTES_MAX + " bytes per part: " + xid);
        }
    }

    static BranchXid of(Xid xid) {
        return new BranchXid(xid);
    }

    /** Whether {@code id} fits in one part of an XA xid. */
    static boolean fits(String id) {
        return id.getBytes(StandardCharsets.UTF_8).length <= PART_BYTES_MAX;
    }

    Xid xid() {
        return xid;
    }

    /** The GID that pgjdbc gives this branch's PREPARE TRANSACTION. */
    String gid() {
        Base64.Encoder base64 = Base64.getEncoder();
        return FORMAT_ID + "_" + base64.encodeToString(globalTransactionId) + "_"
                + base64.encodeToString(branchQualifier);
    }

    /** What every GID of this bank's branches begins with, for a {@code LIKE} that leaves others' alone. */
    static String gidPrefix() {
        return FORMAT_ID + "_";
    }

    /** The Clearhouse xid of a GID, or empty for a GID of another format or another bank. */
    static Optional<Xid> parse(String gid, String bankId) {
        String[] parts = gid.split("_", -1);
        if (parts.length != 3 || !parts[0].equals(String.valueOf(FORMAT_ID))) {
            return Optional.empty();
        }
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            String transactionId = new String(base64.decode(parts[1]), StandardCharsets.UTF_8);
            String bank = new String(base64.decode(parts[2]), StandardCharsets.UTF_8);
            return bank.equals(bankId) && !transactionId.isEmpty()
                    ? Optional.of(new Xid(transactionId, bank))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public int getFormatId() {
        return FORMAT_ID;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof javax.transaction.xa.Xid that
                && that.getFormatId() == FORMAT_ID
                && Arrays.equals(that.getGlobalTransactionId(), globalTransactionId)
                && Arrays.equals(that.getBranchQualifier(), branchQualifier);
    }

    @Override
    public int hashCode() {
        return xid.hashCode();
    }

    @Override
    public String toString() {
        return gid();
    }
}
