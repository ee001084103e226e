package io.clearhouse.xa;

import io.clearhouse.spi.Xid;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * An XA branch identifier held by value, and its encoding as a Clearhouse transaction id.
 *
 * <p>A transaction manager names a branch by three values: a format id, a global transaction id (gtrid) and a branch
 * qualifier (bqual), each part at most 64 bytes. The bridge keeps all three in the transaction id of the Clearhouse
 * xid it hands the bank, so that the bank's {@link io.clearhouse.spi.BankAdapter#recover()} gives back, after any
 * crash, exactly the xid the transaction manager logged: {@code xa:<format id>:<gtrid>:<bqual>}, the format id in
 * decimal and both parts in unpadded base64url. Narayana's branch {@code (131077, gtrid, bqual)} at bank {@code
 * bank-a} becomes the Clearhouse xid {@code (xa:131077:<gtrid>:<bqual>, bank-a)}. Only the canonical form decodes,
 * so the mapping is one to one; the transaction ids of Clearhouse's own coordinator never begin with {@code xa:},
 * and the bridge leaves their branches alone.
 */
public final class XaBranchId implements javax.transaction.xa.Xid {
    /** What every transaction id of the bridge's encoding begins with. */
    public static final String TRANSACTION_ID_PREFIX = "xa:";

    private static final int PART_BYTES_MAX = javax.transaction.xa.Xid.MAXGTRIDSIZE;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final int formatId;
    private final byte[] globalTransactionId;
    private final byte[] branchQualifier;

    private XaBranchId(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
        if (globalTransactionId.length < 1 || globalTransactionId.length > PART_BYTES_MAX) {
            throw new IllegalArgumentException("an XA gtrid has 1.." + PART_BYTES_MAX + " bytes");
        }
        if (branchQualifier.length > PART_BYTES_MAX) {
            throw new IllegalArgumentException("an XA bqual has at most " + PART_BYTES_MAX + " bytes");
        }
        this.formatId = formatId;
        this.globalTransactionId = globalTransactionId;
        this.branchQualifier = branchQualifier;
    }

    public static XaBranchId of(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
        return new XaBranchId(formatId, globalTransactionId.clone(), branchQualifier.clone());
    }

    /** A copy of a transaction manager's xid, which may be mutable or compare by identity. */
    public static XaBranchId of(javax.transaction.xa.Xid xid) {
        return of(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    /** The Clearhouse xid of this branch at {@code bankId}. */
    public Xid atBank(String bankId) {
        return new Xid(transactionId(), bankId);
    }

    /** The Clearhouse transaction id that carries this branch id. */
    public String transactionId() {
        return TRANSACTION_ID_PREFIX + formatId + ":" + ENCODER.encodeToString(globalTransactionId) + ":"
                + ENCODER.encodeToString(branchQualifier);
    }

    /** The branch id a transaction id carries, or empty for one not of the bridge's encoding. */
    public static Optional<XaBranchId> fromTransactionId(String transactionId) {
        if (!transactionId.startsWith(TRANSACTION_ID_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = transactionId.substring(TRANSACTION_ID_PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            XaBranchId id =
                    new XaBranchId(Integer.parseInt(parts[0]), decoder.decode(parts[1]), decoder.decode(parts[2]));
            // Decoders accept a few spellings of the same bytes (padding, stray bits); only the canonical one counts.
            return id.transactionId().equals(transactionId) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the transaction manager's xid fits XA's limits, so that a resource can take it. */
    static boolean isValid(javax.transaction.xa.Xid xid) {
        return xid != null
                && xid.getFormatId() != -1
                && xid.getGlobalTransactionId() != null
                && xid.getGlobalTransactionId().length >= 1
                && xid.getGlobalTransactionId().length <= PART_BYTES_MAX
                && xid.getBranchQualifier() != null
                && xid.getBranchQualifier().length <= PART_BYTES_MAX;
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    /** Equal to any xid of the same three values, whatever its class, as XA compares xids. */
    @Override
    public boolean equals(Object other) {
        return other instanceof javax.transaction.xa.Xid that
                && that.getFormatId() == formatId
                && Arrays.equals(that.getGlobalTransactionId(), globalTransactionId)
                && Arrays.equals(that.getBranchQualifier(), branchQualifier);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId)) + Arrays.hashCode(branchQualifier);
    }

    @Override
    public String toString() {
        return transactionId();
    }
}
