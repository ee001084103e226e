package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.Xid;
import io.clearhouse.xa.ClearhouseXaXids;
import io.clearhouse.xa.XaBranchId;
import java.util.Base64;
import java.util.Optional;

/**
 * The global transaction id (GID) PostgreSQL lists in {@code pg_prepared_xacts} for a branch of an xa bank. The
 * branch's XA xid is the Clearhouse xid in XA form ({@link ClearhouseXaXids}: format id {@code 0x436C4831}, "ClH1",
 * the UTF-8 of the transaction id and of the bank id), and pgjdbc writes it as {@code <format id>_<base64
 * gtrid>_<base64 bqual>}, for example {@code 1131169841_MTcuNDI=_YmFuay0x} for transaction {@code 17.42} at bank
 * {@code bank-1}. A bank lists as its own only the GIDs of this format id and its own bank id, so the prepared
 * transactions of other transaction managers, and of other banks, in the same database are left alone.
 */
final class BranchGids {
    private BranchGids() {}

    /** The GID that pgjdbc gives the PREPARE TRANSACTION of {@code xid}'s branch. */
    static String gid(Xid xid) {
        XaBranchId branch = ClearhouseXaXids.toXa(xid);
        Base64.Encoder base64 = Base64.getEncoder();
        return branch.getFormatId() + "_" + base64.encodeToString(branch.getGlobalTransactionId()) + "_"
                + base64.encodeToString(branch.getBranchQualifier());
    }

    /** What every GID of an xa bank's branches begins with, for a {@code LIKE} that leaves others' alone. */
    static String prefix() {
        return ClearhouseXaXids.FORMAT_ID + "_";
    }

    /** The Clearhouse xid of a GID, or empty for a GID of another format or another bank. */
    static Optional<Xid> parse(String gid, String bankId) {
        String[] parts = gid.split("_", -1);
        if (parts.length != 3 || !parts[0].equals(String.valueOf(ClearhouseXaXids.FORMAT_ID))) {
            return Optional.empty();
        }
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            XaBranchId branch =
                    XaBranchId.of(ClearhouseXaXids.FORMAT_ID, base64.decode(parts[1]), base64.decode(parts[2]));
            return ClearhouseXaXids.fromXa(branch, bankId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
