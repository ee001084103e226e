package io.clearhouse.xa;

import io.clearhouse.spi.Xid;
import java.util.function.Supplier;

/**
 * Serialises the calls for one xid within this process, so that duplicated calls arriving together reach the resource
 * manager one after the other and meet the state the first one left, instead of two branches with one xid started at
 * once. A fixed number of locks is shared among all xids: two xids on one stripe only wait for each other.
 */
final class XidStripes {
    private static final int STRIPES = 64;

    private final Object[] locks = new Object[STRIPES];

    XidStripes() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    <T> T locked(Xid xid, Supplier<T> call) {
        synchronized (locks[Math.floorMod(xid.hashCode(), STRIPES)]) {
            return call.get();
        }
    }
}
