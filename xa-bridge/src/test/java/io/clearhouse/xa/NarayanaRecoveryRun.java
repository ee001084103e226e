package io.clearhouse.xa;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import io.clearhouse.spi.BankAdapter;
import java.nio.file.Path;
import java.util.List;

/**
 * The process that restarts after the kill in {@link NarayanaCrashRecoveryIT}: Narayana over the same object store
 * (first argument) and the two banks reopened from their logs (second argument), with the bridge registered for
 * recovery; it runs {@link #SCANS} recovery scans and exits. The second scan finds nothing left to do, unless the first
 * did not finish the transaction, and must change nothing.
 */
public final class NarayanaRecoveryRun {
    static final int SCANS = 2;
    static final String DONE = "recovery scans done";

    private NarayanaRecoveryRun() {}

    public static void main(String[] arguments) throws Exception {
        NarayanaStandalone.start(Path.of(arguments[0]));
        Path banks = Path.of(arguments[1]);
        try (BankAdapter bankA = DurableBanks.openA(banks);
                BankAdapter bankB = DurableBanks.openB(banks)) {
            List<javax.transaction.xa.XAResource> resources =
                    List.of(new ParticipantXAResource(bankA), new ParticipantXAResource(bankB));
            RecoveryManager recoveryManager = NarayanaStandalone.recoveryManager(resources);
            for (int scan = 0; scan < SCANS; scan++) {
                recoveryManager.scan();
            }
        }
        System.out.println(DONE);
        System.out.flush();
        // Narayana's own threads (the transaction status manager) would keep the process alive.
        System.exit(0);
    }
}
