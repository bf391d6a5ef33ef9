/**
 * The interfaces a host application or a store implements, and their value types.
 *
 * <p>Start with {@link io.gim.spi.AuthProvider} (the only thing a host must supply), then {@link
 * io.gim.spi.Stores} to choose where messages live, and {@link io.gim.spi.SendPolicy} to filter
 * client sends. Every IO-bound method returns a {@link java.util.concurrent.CompletionStage}.
 */
package io.gim.spi;
