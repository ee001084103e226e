package io.clearhouse.core;

import io.clearhouse.api.Outcome;
import java.util.concurrent.CompletableFuture;

/**
 * The two moments of a transaction a caller may wait for.
 *
 * @param outcome completes when the outcome is durable: the client may be answered
 * @param completion completes, with the same outcome, when every bank has acknowledged phase two, so the effects
 *     are visible in balances
 */
public record Submission(CompletableFuture<Outcome> outcome, CompletableFuture<Outcome> completion) {}
