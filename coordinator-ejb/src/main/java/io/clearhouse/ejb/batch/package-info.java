/** Batches posted with an idempotency key: who runs one, and the answer a retry gets. */
package io.clearhouse.ejb.batch;
