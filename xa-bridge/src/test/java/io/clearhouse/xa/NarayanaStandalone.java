package io.clearhouse.xa;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.RecoveryEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.List;
import javax.transaction.xa.XAResource;

/**
 * Narayana as a library, configured for a test: its object store in a directory of the test's, and recovery that
 * runs only when asked, so that a test decides when it happens.
 */
final class NarayanaStandalone {
    static final String NODE_IDENTIFIER = "clearhouse-xa-test";

    private NarayanaStandalone() {}

    /**
     * Points every store of Narayana at {@code objectStore}; must run before the first transaction, since Narayana
     * reads its configuration once.
     */
    static TransactionManager start(Path objectStore) throws Exception {
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(NODE_IDENTIFIER);
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(NODE_IDENTIFIER));
        // Without the named stores, Narayana writes part of its state to ./ObjectStore.
        for (String store : List.of("communicationStore", "stateStore")) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, store)
                    .setObjectStoreDir(objectStore.toString());
        }
        arjPropertyManager.getObjectStoreEnvironmentBean().setObjectStoreDir(objectStore.toString());
        RecoveryEnvironmentBean recovery = recoveryPropertyManager.getRecoveryEnvironmentBean();
        recovery.setRecoveryModuleClassNames(
                List.of(AtomicActionRecoveryModule.class.getName(), XARecoveryModule.class.getName()));
        recovery.setExpiryScannerClassNames(List.of());
        recovery.setRecoveryListener(false);
        // Between the two passes of a scan; the default of 10 s would only make the test slow.
        recovery.setRecoveryBackoffPeriod(1);
        // Narayana rolls back an orphan (a branch prepared with no transaction of its own in the log) only once a scan
        // has seen it for this long, 20 s by default, so as to leave a running transaction's branches alone; the tests
        // recover only after the process that ran the transactions is dead, and the two passes of a scan are 1 s apart.
        jtaPropertyManager.getJTAEnvironmentBean().setOrphanSafetyInterval(500);
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /**
     * The recovery manager, with the bridge's resources registered as an application registers them: a recovery
     * helper on the XA recovery module, through which a scan finds the branches the banks hold prepared.
     */
    static RecoveryManager recoveryManager(List<XAResource> resources) {
        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XARecoveryModule.getRegisteredXARecoveryModule().addXAResourceRecoveryHelper(new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String properties) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                return resources.toArray(XAResource[]::new);
            }
        });
        return manager;
    }
}
