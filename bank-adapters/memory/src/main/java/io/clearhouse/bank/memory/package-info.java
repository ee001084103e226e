/**
 * The memory bank: balances held in memory with escrow holds, optionally made durable by a write-ahead log on the
 * journal. Without a directory it is the fast bank of plain batches; with one, every change is logged and the
 * bank restores its balances and prepared branches when it opens again; the banks of a {@link
 * io.clearhouse.bank.memory.MemoryBankGroup} share one log, so that their prepares share forced writes. Depends on
 * {@code io.clearhouse.spi}, {@code io.clearhouse.api}, {@code io.clearhouse.journal} and the JDK.
 */
package io.clearhouse.bank.memory;
