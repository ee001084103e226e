package io.clearhouse.core.engine;

import io.clearhouse.core.protocol.Effect;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;

/**
 * The effects of the steps in progress on one thread, as a stack in one reusable array. Carrying out an effect may
 * deliver another event on the same thread (an inline bank's vote, a write that is durable at once), so steps nest:
 * each step appends its effects on top, carries them out, and pops them, leaving the effects of the steps below it
 * where they were. This spares every event its own list, which an in-memory batch would pay for half a dozen times a
 * transfer. Confined to its thread.
 */
final class EffectStack extends AbstractList<Effect> {
    private static final int INITIAL_CAPACITY = 32;
    private static final ThreadLocal<EffectStack> CURRENT = ThreadLocal.withInitial(EffectStack::new);

    private Effect[] effects = new Effect[INITIAL_CAPACITY];
    private int size;

    private EffectStack() {}

    /** The stack of the calling thread. */
    static EffectStack current() {
        return CURRENT.get();
    }

    @Override
    public boolean add(Effect effect) {
        if (size == effects.length) {
            effects = Arrays.copyOf(effects, size * 2);
        }
        effects[size++] = Objects.requireNonNull(effect, "effect");
        return true;
    }

    @Override
    public Effect get(int index) {
        return effects[Objects.checkIndex(index, size)];
    }

    @Override
    public int size() {
        return size;
    }

    /** Drops every effect from {@code mark} up, so that the array keeps no finished transaction alive. */
    void popTo(int mark) {
        if (mark < 0 || mark > size) {
            throw new IllegalStateException("effect stack popped to " + mark + " with " + size + " effects");
        }
        Arrays.fill(effects, mark, size, null);
        size = mark;
    }
}
