/**
 * Spring Boot auto-configuration of a GIM server. Add {@code io.gim:gim-spring-boot-starter},
 * define an {@link io.gim.spi.AuthProvider} bean and set {@code gim.*} properties ({@link
 * io.gim.spring.boot.GimProperties}); {@link io.gim.spring.boot.GimAutoConfiguration} makes the
 * {@link io.gim.core.GimServer} and {@link io.gim.spring.boot.GimServerLifecycle} runs it with the
 * application context. {@link io.gim.spring.boot.GimServerBuilderCustomizer} beans adjust what
 * properties cannot say.
 */
package io.gim.spring.boot;
