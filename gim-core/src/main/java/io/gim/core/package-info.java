/**
 * The embeddable server. Start with {@link io.gim.core.GimServer#builder()}; send from the host
 * with {@link io.gim.core.GimServer#messages()}; manage groups with {@link
 * io.gim.core.GimServer#groups()} and devices with {@link io.gim.core.GimServer#devices()}.
 */
package io.gim.core;
