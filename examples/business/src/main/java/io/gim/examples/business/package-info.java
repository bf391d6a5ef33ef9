/**
 * GIM's business server as an example: sign-in with a verification code, users, friends and group
 * changes over gRPC, on the same database as the IM stores. Starting points: {@link
 * io.gim.examples.business.BusinessServer} (embed it), {@link
 * io.gim.examples.business.CodeVerifier} (plug in SMS), {@link io.gim.examples.business.Main} (the
 * runnable jar).
 */
package io.gim.examples.business;
