package io.clearhouse.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map from account id to balance in the order of its ids: a run of consecutive positions of an {@link
 * AccountIndex} and a {@code long[]}, about 12 bytes per account beside the ids themselves, where a {@code
 * LinkedHashMap<String, Long>} takes some 80. It is what a state file's bank is read into, what the memory bank opens
 * with and what its {@link BankAdapter#postedBalances()} returns, so that a million accounts fit in a small heap.
 * The banks of one state file are runs of one index, so each account is hashed once, not once per table. Lookups take
 * constant time; iterating makes an entry and a {@code Long} per account, which die young.
 *
 * <p>Positions here are relative: {@code 0..size()-1}, the run's first account at 0.
 */
public final class AccountBalances extends AbstractMap<String, Long> {
    private final AccountIndex index;
    /** The index position of this map's position 0. */
    private final int from;

    private final long[] balances;

    private AccountBalances(AccountIndex index, int from, long[] balances) {
        this.index = index;
        this.from = from;
        this.balances = balances;
    }

    /**
     * The accounts at positions {@code from..from + balances.length - 1} of {@code index}, with these balances; takes
     * the array over without a copy, so it may not change after, nor may those positions of the index.
     *
     * @throws IndexOutOfBoundsException if the index has no such positions
     */
    public static AccountBalances of(AccountIndex index, int from, long[] balances) {
        Objects.checkFromIndexSize(from, balances.length, index.size());
        return new AccountBalances(index, from, balances);
    }

    /** The same accounts with other balances, {@code balances[i]} at position {@code i}; takes the array over. */
    public AccountBalances withBalances(long[] balances) {
        if (balances.length != this.balances.length) {
            throw new IllegalArgumentException(this.balances.length + " accounts but " + balances.length + " balances");
        }
        return new AccountBalances(index, from, balances);
    }

    /** {@code map} itself if it is one already, or a copy of it in its iteration order. */
    public static AccountBalances copyOf(Map<String, Long> map) {
        if (map instanceof AccountBalances balances) {
            return balances;
        }
        Builder builder = new Builder(map.size());
        map.forEach((id, balance) -> {
            if (!builder.put(Objects.requireNonNull(id, "account id"), balance)) {
                throw new IllegalStateException("map with account " + id + " twice");
            }
        });
        return builder.endRun();
    }

    /** The position of {@code id}, or -1 if it is not one of these accounts. */
    public int positionOf(String id) {
        int position = index.indexOf(id) - from;
        return position >= 0 && position < balances.length ? position : -1;
    }

    /** The id at {@code position}. */
    public String id(int position) {
        Objects.checkIndex(position, balances.length);
        return index.id(from + position);
    }

    /** The balance at {@code position}. */
    public long balance(int position) {
        return balances[position];
    }

    @Override
    public int size() {
        return balances.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String id && positionOf(id) >= 0;
    }

    @Override
    public Long get(Object key) {
        if (!(key instanceof String id)) {
            return null;
        }
        int position = positionOf(id);
        return position < 0 ? null : balances[position];
    }

    /** The ids in order, read from the index without making an entry per account. */
    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return new Positions<>(balances.length) {
                    @Override
                    String at(int position) {
                        return index.id(from + position);
                    }
                };
            }

            @Override
            public boolean contains(Object key) {
                return containsKey(key);
            }

            @Override
            public int size() {
                return balances.length;
            }
        };
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Long>> iterator() {
                return new Positions<>(balances.length) {
                    @Override
                    Entry<String, Long> at(int position) {
                        return new SimpleImmutableEntry<>(index.id(from + position), balances[position]);
                    }
                };
            }

            @Override
            public int size() {
                return balances.length;
            }
        };
    }

    /** Iterates positions {@code 0..size-1}, each as {@link #at} makes it. */
    private abstract static class Positions<T> implements Iterator<T> {
        private final int size;
        private int next;

        Positions(int size) {
            this.size = size;
        }

        abstract T at(int position);

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public T next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            return at(next++);
        }
    }

    /**
     * Collects accounts in order into one {@link AccountIndex}, as runs: each {@link #endRun} is one map of the
     * accounts put since the last. An id is refused if any run has it already.
     */
    public static final class Builder {
        private final AccountIndex index;
        private long[] balances;
        private int runStart;

        public Builder(int expected) {
            index = new AccountIndex(expected);
            balances = new long[Math.max(expected, 1)];
        }

        /**
         * Adds an account after those put so far.
         *
         * @return false, adding nothing, if the id is there already
         */
        public boolean put(String id, long balance) {
            if (!index.add(id)) {
                return false;
            }
            int position = index.size() - 1;
            if (position == balances.length) {
                balances = Arrays.copyOf(balances, balances.length * 2);
            }
            balances[position] = balance;
            return true;
        }

        /** How many accounts were put, over all runs. */
        public int size() {
            return index.size();
        }

        /** The position of {@code id} among every account put so far, or -1 if none has it. */
        public int positionOf(String id) {
            return index.indexOf(id);
        }

        /** The accounts put since the last run ended, as one map. */
        public AccountBalances endRun() {
            int start = runStart;
            runStart = index.size();
            return new AccountBalances(index, start, Arrays.copyOfRange(balances, start, runStart));
        }
    }
}
