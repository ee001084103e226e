/**
 * The example bank of docs/writing-an-adapter.md: a bank whose whole state (balances, prepared branches, the branches
 * finished lately) lives in one text file, rewritten atomically before every call that changes it answers. It is
 * meant to be read: one lock, one file, no caching, and the durability rules of the contract in plain sight. Depends
 * on {@code io.clearhouse.spi}, {@code io.clearhouse.api} and the JDK only.
 */
package io.clearhouse.bank.example;
