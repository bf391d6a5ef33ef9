/**
 * Store SPIs: {@link io.gim.spi.store.MessageStore} (inboxes and seqs), {@link
 * io.gim.spi.store.GroupStore}, {@link io.gim.spi.store.DeviceStore}, and their records.
 */
package io.gim.spi.store;
