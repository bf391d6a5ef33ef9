/**
 * In-memory stores, the embedded default: everything lives on the heap of this JVM and is lost when
 * it exits. Start with {@link io.gim.core.memory.InMemoryStores#create()}.
 *
 * <p>Every class here is thread-safe and completes its stages before returning; nothing waits on
 * IO. They suit a single node, tests and demos; a cluster needs shared stores (JDBC, Redis).
 */
package io.gim.core.memory;
