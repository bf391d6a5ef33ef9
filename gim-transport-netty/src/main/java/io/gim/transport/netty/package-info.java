/**
 * The Netty transport of GIM for Java. Applications need only this module on the classpath; {@link
 * io.gim.transport.netty.NettyTransportFactory} is found automatically.
 */
package io.gim.transport.netty;
