/**
 * The floor of {@code clearhouse batch --initial-state S --transactions T}: the same contract (docs/batch.md) in the
 * plainest fast single-threaded Java, with no two-phase commit, so that the command's time can be judged against what
 * reading the two files, applying the lines one by one and printing the same JSON costs by itself (issue 17). For a
 * valid input it prints exactly the command's standard output. It depends on the JDK and on Jackson's streaming parser
 * for the state file only: no Clearhouse module is on its path, so the floor cannot inherit the product's costs.
 */
package io.clearhouse.bench.floor;
