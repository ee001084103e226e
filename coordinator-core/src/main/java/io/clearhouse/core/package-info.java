/**
 * The coordinator's public face: {@link io.clearhouse.core.Coordinator}, the {@link io.clearhouse.core.Submission}
 * a caller waits on, and the counters it exposes. The engine, the decision log and the protocol live in
 * sub-packages; this package depends on the api module and the JDK only.
 */
package io.clearhouse.core;
