/**
 * Netty plumbing and delivery logic behind {@link io.gim.client.GimClient}: frame codecs, the
 * connection lifecycle and the inbox sequencer. Not an API: anything here may change at any time.
 */
package io.gim.client.internal;
