/**
 * The seam between the engine and a network transport, for transport implementors: a {@link
 * io.gim.core.transport.TransportFactory} creates a {@link io.gim.core.transport.Transport}, which
 * hands each {@link io.gim.core.transport.Connection} to the engine and feeds its frames to the
 * engine's {@link io.gim.core.transport.ConnectionHandler}. Applications do not use it.
 */
package io.gim.core.transport;
