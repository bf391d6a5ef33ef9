/** The engine's internals. Not an API: may change at any time without notice. */
package io.gim.core.internal;
