/** Netty pipeline pieces of the transport. Not an API: may change at any time without notice. */
package io.gim.transport.netty.internal;
