package io.clearhouse.bench;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.objectstore.StoreManager;
import com.arjuna.ats.internal.arjuna.objectstore.hornetq.HornetqJournalEnvironmentBean;
import com.arjuna.ats.internal.arjuna.objectstore.hornetq.HornetqObjectStoreAdaptor;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Narayana standalone with its journal object store (the Artemis journal, Narayana's fastest durable store) under one
 * directory, forced on every write and every delete as Narayana ships it. Narayana reads its configuration once per
 * JVM, so this runs once, before the first transaction, and every run of the benchmark shares the store.
 */
final class NarayanaJournal {
    /**
     * Narayana's stores: the transaction log is the unnamed one (also reached as "default"); the other two take the
     * journal type as well once it is the default's, and each journal needs a directory of its own, or it opens one
     * in the working directory.
     */
    private static final String[] STORE_NAMES = {null, "default", "communicationStore", "stateStore"};

    private NarayanaJournal() {}

    static TransactionManager start(Path directory, boolean fsync) throws CoreEnvironmentBeanException {
        for (String name : STORE_NAMES) {
            HornetqJournalEnvironmentBean journal =
                    BeanPopulator.getNamedInstance(HornetqJournalEnvironmentBean.class, name);
            journal.setStoreDir(directory
                    .resolve(name == null ? "journal" : "journal-" + name)
                    .toString());
            journal.setSyncWrites(fsync);
            journal.setSyncDeletes(fsync);
            ObjectStoreEnvironmentBean store = BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name);
            store.setObjectStoreDir(directory.toString());
        }
        for (String name : Arrays.copyOf(STORE_NAMES, 2)) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name)
                    .setObjectStoreType(HornetqObjectStoreAdaptor.class.getName());
        }
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("clearhouse-bench");
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /** Flushes and closes the journals; Narayana cannot be started again in this JVM. */
    static void stop() {
        StoreManager.shutdown();
    }
}
