/**
 * The Netty transport of GIM for Java. Applications need only this module on the classpath; {@link
 * io.gim.transport.netty.NettyTransportFactory} is found automatically. In a cluster, {@link
 * io.gim.transport.netty.GrpcNodeLink} carries the calls between nodes.
 */
package io.gim.transport.netty;
