package io.clearhouse.web.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Status;
import io.clearhouse.api.Transaction;
import io.clearhouse.ejb.CoordinatorBean;
import jakarta.ejb.EJB;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Transfers through the coordinator EJB itself, inside Payara Micro: the tests run in the container with the bean
 * injected. Plain JUnit assertions, since only the WAR's libraries and JUnit are there.
 */
@ExtendWith(ArquillianExtension.class)
class CoordinatorBeanIT {
    private static final long READY_TIMEOUT_NANOS = 120_000_000_000L;

    @EJB
    private CoordinatorBean coordinator;

    @Deployment
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("clearhouse.war")))
                .addClasses(CoordinatorBeanIT.class, ServerFixture.class);
    }

    @BeforeEach
    void awaitCoordinator() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (!coordinator.isReady()) {
            assertTrue(System.nanoTime() < deadline, "the coordinator did not start: " + coordinator.startFailure());
            Thread.sleep(50);
        }
    }

    private long balance(String account) {
        return coordinator.account(account).orElseThrow().balance().posted();
    }

    @Test
    void transferThroughTheBeanCommitsRecordsAndAppliesOnce() {
        String from = ServerFixture.account("1", 10);
        String to = ServerFixture.account("3", 10);
        long fromBefore = balance(from);
        long toBefore = balance(to);
        Transaction transfer = Transaction.transfer("ejb-" + UUID.randomUUID(), from, to, 40);

        Outcome first = coordinator.submit(transfer);
        Outcome retried = coordinator.submit(transfer);

        assertEquals(Status.COMMITTED, first.status());
        assertEquals(first, retried);
        assertEquals(fromBefore - 40, balance(from));
        assertEquals(toBefore + 40, balance(to));
        assertEquals(first, coordinator.recorded(transfer.id()).orElseThrow().outcome());
        assertEquals(0, coordinator.account(from).orElseThrow().balance().held());
    }

    @Test
    void concurrentTransfersAcrossBanksConserveMoney() throws InterruptedException {
        List<String> ring = List.of(
                ServerFixture.account("1", 11),
                ServerFixture.account("2", 11),
                ServerFixture.account("3", 11),
                ServerFixture.account("1", 12));
        long totalBefore = ring.stream().mapToLong(this::balance).sum();
        AtomicInteger committed = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 16; client++) {
            int offset = client;
            Thread thread = new Thread(() -> {
                for (int n = 0; n < 50; n++) {
                    String from = ring.get((offset + n) % ring.size());
                    String to = ring.get((offset + n + 1) % ring.size());
                    Outcome outcome =
                            coordinator.submit(Transaction.transfer("ring-" + UUID.randomUUID(), from, to, 1 + n % 7));
                    if (outcome.isCommitted()) {
                        committed.incrementAndGet();
                    }
                }
            });
            thread.start();
            clients.add(thread);
        }
        for (Thread client : clients) {
            client.join();
        }

        assertEquals(16 * 50, committed.get());
        assertEquals(totalBefore, ring.stream().mapToLong(this::balance).sum());
        for (String account : ring) {
            assertEquals(0, coordinator.account(account).orElseThrow().balance().held());
        }
    }
}
