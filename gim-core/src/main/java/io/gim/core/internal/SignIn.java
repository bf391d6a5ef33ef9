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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
  private final EngineMetrics metrics;
  private volatile NodeLink link;
  private final Set<CompletableFuture<Void>> unregistering = ConcurrentHashMap.newKeySet();

  SignIn(
      AuthProvider auth,
      SessionRegistry sessions,
      PresenceRegistry presence,
      String nodeId,
      Duration presenceTtl,
      EngineMetrics metrics) {
    this.auth = auth;
    this.metrics = metrics;
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
      metrics.signIn("allowed");
      accept(session, packet, device);
      return;
    }
    byte[] reply;
    if (failure == null && result instanceof AuthResult.Denied denied) {
      metrics.signIn("denied");
      reply = Packets.reply(packet, denied.code(), denied.message(), ByteString.EMPTY);
    } else {
      metrics.signIn("failed");
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

  /**
   * The provider accepted. The device's route is registered first (with a node link, after the
   * device's older connection on another node was looked up and kicked), and only then is the
   * session bound and the sign-in acknowledged: a client syncs right after its sign-in reply, so a
   * message stored after that sync must find the route and be pushed. Until then the session stays
   * authenticating and what the client pipelines waits.
   */
  private void accept(Session session, Packet packet, DeviceKey device) {
    Route route = new Route(device.userId(), device.deviceId(), nodeId, session.connection().id());
    NodeLink other = link;
    CompletionStage<Void> registered =
        other == null ? register(route) : kickOnOtherNodesThenRegister(route, device, other);
    registered.whenComplete(
        (ok, failure) ->
            session
                .connection()
                .executor()
                .execute(() -> conclude(session, packet, device, route)));
  }

  private void conclude(Session session, Packet packet, DeviceKey device, Route route) {
    if (!session.signedIn(device)) {
      // Closed meanwhile: the route registered for it must not outlive it.
      presence.unregister(route).whenComplete((ok, e) -> logFailure("presence unregister", e));
      return;
    }
    Session displaced = sessions.bind(session);
    if (displaced != null) {
      displaced.kickOut(
          GimErrorCode.SIGNED_IN_ELSEWHERE.code(),
          GimErrorCode.SIGNED_IN_ELSEWHERE.defaultMessage());
    }
    session.send(Packets.ok(packet, ByteString.EMPTY));
    session.drainWaiting(); // what the client pipelined behind its sign-in
  }

  /**
   * The device's route on another node (an older connection there) is read before this one's
   * replaces it, that connection is kicked through the link, then this route is registered.
   */
  private CompletionStage<Void> kickOnOtherNodesThenRegister(
      Route route, DeviceKey device, NodeLink other) {
    return presence
        .lookup(List.of(device.userId()))
        .handle(
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
              return null;
            })
        .thenCompose(ignored -> register(route));
  }

  /** Registers a route; completes (never exceptionally) once the registry answered. */
  private CompletionStage<Void> register(Route route) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      presence
          .register(route, presenceTtl)
          .whenComplete(
              (ok, failure) -> {
                logFailure("presence register", failure);
                done.complete(null);
              });
    } catch (RuntimeException e) {
      logFailure("presence register", e);
      done.complete(null);
    }
    return done;
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
    CompletableFuture<Void> gone = presence.unregister(route(session)).toCompletableFuture();
    unregistering.add(gone);
    gone.whenComplete(
        (ok, failure) -> {
          unregistering.remove(gone);
          logFailure("presence unregister", failure);
        });
  }

  /**
   * Waits (at most {@code max}) for the route removals of closed sessions still on their way to the
   * registry, so that a server closing its registry right after its connections does not cut them
   * off (the routes would linger until they expire).
   */
  void awaitUnregisters(Duration max) {
    try {
      CompletableFuture.allOf(unregistering.toArray(CompletableFuture[]::new))
          .get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("{} presence removals did not finish in {}", unregistering.size(), max);
    }
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
