package io.clearhouse.core.simulation;

import io.clearhouse.spi.BankException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Messages between the coordinator and the banks in virtual time. Each message is delayed at random, so messages
 * overtake each other; while faults are on, some are dropped, some duplicated, some requests fail before reaching
 * the bank, and some replies turn into failures after the bank did the work. A request to a bank that is down is
 * lost.
 */
final class Network {
    private final Scheduler scheduler;
    private final Map<String, SimulatedBank> banks;
    private boolean faulty = true;

    Network(Scheduler scheduler, Map<String, SimulatedBank> banks) {
        this.scheduler = scheduler;
        this.banks = banks;
    }

    void faulty(boolean faulty) {
        this.faulty = faulty;
    }

    /**
     * Sends {@code call} to {@code bankId}; its result, or the {@link BankException} it threw, comes back through
     * {@code reply}, which the sender must check is still wanted.
     */
    <T> void request(String bankId, Function<SimulatedBank, T> call, Consumer<Result<T>> reply) {
        int copies = faulty && scheduler.chance(0.05) ? 2 : 1;
        for (int copy = 0; copy < copies; copy++) {
            if (faulty && scheduler.chance(0.03)) {
                continue;
            }
            scheduler.after(delay(), () -> deliver(bankId, call, reply));
        }
    }

    private <T> void deliver(String bankId, Function<SimulatedBank, T> call, Consumer<Result<T>> reply) {
        SimulatedBank bank = banks.get(bankId);
        if (!bank.isUp()) {
            return;
        }
        Result<T> result;
        if (faulty && scheduler.chance(0.02)) {
            result = new Result<>(null, new BankException(bankId, "request failed on the way"));
        } else {
            result = invoke(bank, call);
            if (faulty && scheduler.chance(0.02)) {
                result = new Result<>(null, new BankException(bankId, "reply failed after the work was done"));
            }
        }
        if (faulty && scheduler.chance(0.03)) {
            return;
        }
        Result<T> answer = result;
        scheduler.after(delay(), () -> reply.accept(answer));
    }

    private static <T> Result<T> invoke(SimulatedBank bank, Function<SimulatedBank, T> call) {
        try {
            return new Result<>(call.apply(bank), null);
        } catch (BankException e) {
            return new Result<>(null, e);
        }
    }

    private long delay() {
        return faulty ? scheduler.between(1, 40) : scheduler.between(1, 5);
    }

    /** A bank's answer: a value, or the failure it reported. */
    record Result<T>(T value, BankException failure) {
        boolean failed() {
            return failure != null;
        }
    }
}
