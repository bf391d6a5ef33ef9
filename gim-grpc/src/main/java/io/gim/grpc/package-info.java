/**
 * GIM's gRPC API over an embedded {@link io.gim.core.GimServer}. Starting points: {@link
 * io.gim.grpc.GrpcApi} (serves the logic services on an external and an internal port, or hands
 * their definitions to the host's own gRPC server), {@link io.gim.grpc.ExtAuth} (authenticates
 * end-user calls by user, device and token), {@link io.gim.grpc.GrpcAuthProvider} (an {@link
 * io.gim.spi.AuthProvider} that asks a remote {@code business.UserIntService.Auth}), {@link
 * io.gim.grpc.GimStatus} (GIM error codes to gRPC status and back). Generated message and stub
 * classes live in {@code io.gim.grpc.logic} and {@code io.gim.grpc.business}.
 */
package io.gim.grpc;
