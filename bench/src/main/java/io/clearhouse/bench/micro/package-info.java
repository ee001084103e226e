/**
 * JMH micro-benchmarks of the parts under the end-to-end figures: the journal's group commit, one memory bank's
 * prepare and commit, the engine with in-memory banks, and the batch file parser. They tell which part a missed
 * end-to-end target comes from. Run them with {@code bench/run.sh jmh}; they may depend on every Clearhouse module
 * and on JMH.
 */
package io.clearhouse.bench.micro;
