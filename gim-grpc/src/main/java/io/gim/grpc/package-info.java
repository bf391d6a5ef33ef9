/**
 * GIM's gRPC API over an embedded {@link io.gim.core.GimServer}. Starting points: {@link
 * io.gim.grpc.GrpcApi} (binds the logic services to ports of their own), {@link
 * io.gim.grpc.GrpcAuthProvider} (an {@link io.gim.spi.AuthProvider} that asks a remote {@code
 * business.UserIntService.Auth}), {@link io.gim.grpc.GimStatus} (error codes to gRPC status and
 * back). Generated message and stub classes live in {@code io.gim.grpc.logic} and {@code
 * io.gim.grpc.business}.
 */
package io.gim.grpc;
