/**
 * Recovery at open: resolves every branch a bank still holds prepared from the decision log (commit if decided,
 * roll back otherwise, under presumed abort), re-drives commit decisions that lack a completion record, and hands
 * back the outcomes clients were told; recovery while running, and an operator's settlement by hand of a branch that
 * phase two gave up on. Depends on the decision log and the spi.
 */
package io.clearhouse.core.recovery;
