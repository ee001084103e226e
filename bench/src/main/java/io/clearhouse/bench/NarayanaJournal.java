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
import java.util.List;

/**
 * Narayana standalone with its journal object store (the Artemis journal, Narayana's fastest durable store) in one
 * directory, forced on every write and every delete as Narayana ships it. Narayana reads its configuration once per
 * JVM, so this runs once, before the first transaction, and every run of the benchmark shares the store.
 */
final class NarayanaJournal {
    private NarayanaJournal() {}

    /** Flushes and closes the journal; Narayana cannot be started again in this JVM. */
    static void stop() {
        StoreManager.shutdown();
    }

    static TransactionManager start(Path directory, boolean fsync) throws CoreEnvironmentBeanException {
        HornetqJournalEnvironmentBean journal = BeanPopulator.getDefaultInstance(HornetqJournalEnvironmentBean.class);
        journal.setStoreDir(directory.resolve("journal").toString());
        journal.setSyncWrites(fsync);
        journal.setSyncDeletes(fsync);
        // The transaction log is the default store, reached both unnamed and as "default"; every store gets the
        // directory, or Narayana writes part of its state to ./ObjectStore.
        List<ObjectStoreEnvironmentBean> stores = List.of(
                arjPropertyManager.getObjectStoreEnvironmentBean(),
                BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "default"),
                BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore"),
                BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore"));
        for (ObjectStoreEnvironmentBean store : stores) {
            store.setObjectStoreDir(directory.toString());
        }
        for (ObjectStoreEnvironmentBean store : stores.subList(0, 2)) {
            store.setObjectStoreType(HornetqObjectStoreAdaptor.class.getName());
        }
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("clearhouse-bench");
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }
}
