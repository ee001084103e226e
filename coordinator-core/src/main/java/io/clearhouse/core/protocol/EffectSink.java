package io.clearhouse.core.protocol;

/** Where {@link TransactionMachine#step} puts the effects of a step, in the order they must start. */
public interface EffectSink {
    void add(Effect effect);
}
