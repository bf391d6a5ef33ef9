/**
 * Cluster SPIs: {@link io.gim.spi.cluster.PresenceRegistry} (which node holds which device) and
 * {@link io.gim.spi.cluster.RoomBus} (room and broadcast messages to every node).
 */
package io.gim.spi.cluster;
