package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.protocol.Packet;
import io.gim.protocol.SignInRequest;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PC_SIGN_IN and what follows from it: the host's decision, binding the session to its (user,
 * device), kicking out the device's older connection, and the device's presence route.
 *
 * <p>Thread-safe; stateless but for its collaborators. Session state changes only on the session's
 * own thread: the provider's decision hops back there.
 */
final class SignIn {
  private static final Logger log = LoggerFactory.getLogger(SignIn.class);

  private final AuthProvider auth;
  private final SessionRegistry sessions;
  private final PresenceRegistry presence;
  private final String nodeId;
  private final Duration presenceTtl;
  private volatile NodeLink link;

  SignIn(
      AuthProvider auth,
      SessionRegistry sessions,
      PresenceRegistry presence,
      String nodeId,
      Duration presenceTtl) {
    this.auth = auth;
    this.sessions = sessions;
    this.presence = presence;
    this.nodeId = nodeId;
    this.presenceTtl = presenceTtl;
  }

  /** Kicks the device's connections on other nodes too from now on. */
  void reachOtherNodes(NodeLink link) {
    this.link = link;
  }

  /** Handles a PC_SIGN_IN on the session's thread. */
  void begin(Session session, Packet packet) throws InvalidProtocolBufferException {
    SignInRequest request = SignInRequest.parseFrom(packet.getContent());
    if (request.getUserId() == 0 || request.getDeviceId() == 0) {
      session.send(
          Packets.error(packet, GimErrorCode.BAD_REQUEST, "user_id and device_id must not be 0"));
      return;
    }
    if (!session.startAuthentication(packet)) {
      return;
    }
    DeviceKey device = DeviceKey.of(request.getUserId(), request.getDeviceId());
    decide(device, request.getToken())
        .whenComplete(
            (result, failure) ->
                session
                    .connection()
                    .executor()
                    .execute(() -> conclude(session, packet, device, result, failure)));
  }

  /** Asks the provider; a provider that throws or answers null is a failed decision, not a hang. */
  private CompletionStage<AuthResult> decide(DeviceKey device, String token) {
    try {
      CompletionStage<AuthResult> decision =
          auth.authenticate(device.userId(), device.deviceId(), token);
      return decision != null
          ? decision
          : CompletableFuture.failedFuture(new NullPointerException("authenticate returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void conclude(
      Session session, Packet packet, DeviceKey device, AuthResult result, Throwable failure) {
    if (failure == null && result instanceof AuthResult.Allowed) {
      accept(session, packet, device);
      return;
    }
    byte[] reply;
    if (failure == null && result instanceof AuthResult.Denied denied) {
      reply = Packets.reply(packet, denied.code(), denied.message(), ByteString.EMPTY);
    } else {
      reply = Packets.reply(packet, providerFailureCode(failure), "sign-in failed", null);
    }
    session.refused(reply);
  }

  /**
   * The code for a provider that failed instead of deciding: its {@link GimException}'s code when
   * it threw one with a real code, else 10304 (internal). The provider's text stays in the log.
   */
  private static int providerFailureCode(Throwable failure) {
    GimException e = failure == null ? null : GimException.from(failure);
    if (e == null || e.code() == 0 || e.errorCode() == GimErrorCode.INTERNAL) {
      log.warn("AuthProvider failed instead of deciding", failure);
      return GimErrorCode.INTERNAL.code();
    }
    return e.code();
  }

  private void accept(Session session, Packet packet, DeviceKey device) {
    if (!session.signedIn(device)) {
      return; // closed while the provider was deciding
    }
    Session displaced = sessions.bind(session);
    if (displaced != null) {
      displaced.kickOut(
          GimErrorCode.SIGNED_IN_ELSEWHERE.code(),
          GimErrorCode.SIGNED_IN_ELSEWHERE.defaultMessage());
    }
    NodeLink other = link;
    if (other == null) {
      refreshRoute(session);
    } else {
      kickOnOtherNodesThenRegister(session, device, other);
    }
    session.send(Packets.ok(packet, ByteString.EMPTY));
    session.drainWaiting(); // what the client pipelined behind its sign-in
  }

  /**
   * The device's route on another node (an older connection there) is read before this one's
   * replaces it, that connection is kicked through the link, then this route is registered.
   */
  private void kickOnOtherNodesThenRegister(Session session, DeviceKey device, NodeLink other) {
    presence
        .lookup(List.of(device.userId()))
        .whenComplete(
            (routes, failure) -> {
              if (failure != null) {
                logFailure("presence lookup before a cross-node kick", failure);
              } else {
                for (Route r : routes.getOrDefault(device.userId(), List.of())) {
                  if (r.deviceId() == device.deviceId() && !r.nodeId().equals(nodeId)) {
                    other
                        .kick(r.nodeId(), device, r.connectionId())
                        .whenComplete((ok, e) -> logFailure("kick on node " + r.nodeId(), e));
                  }
                }
              }
              refreshRoute(session);
            });
  }

  /** Registers (or refreshes) the route of a session that is still serving. */
  void refreshRoute(Session session) {
    if (session.serving()) {
      presence
          .register(route(session), presenceTtl)
          .whenComplete((ok, failure) -> logFailure("presence register", failure));
    }
  }

  /** A signed-in session closed: it leaves the registry and its exact route goes. */
  void signedOut(Session session) {
    sessions.unbind(session);
    presence
        .unregister(route(session))
        .whenComplete((ok, failure) -> logFailure("presence unregister", failure));
  }

  private Route route(Session session) {
    DeviceKey key = session.key();
    return new Route(key.userId(), key.deviceId(), nodeId, session.connection().id());
  }

  private static void logFailure(String what, Throwable failure) {
    if (failure != null) {
      log.warn("{} failed", what, failure);
    }
  }
}
