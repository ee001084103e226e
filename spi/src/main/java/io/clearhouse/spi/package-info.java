/**
 * The participant SPI: how a bank takes part in Clearhouse's two-phase commit. A {@link
 * io.clearhouse.spi.BankAdapterProvider} registered in {@code META-INF/services} opens a {@link
 * io.clearhouse.spi.BankAdapter} per bank; the {@link io.clearhouse.spi.BankAdapterRegistry} finds providers with
 * {@link java.util.ServiceLoader}. Depends on {@code io.clearhouse.api} and the JDK only, so that an adapter
 * writer's build pulls in nothing of the coordinator.
 */
package io.clearhouse.spi;
