package dev.vigil.sentinel.http;

import dev.vigil.sentinel.failover.PreStopPlan;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeReadiness;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's preStop hook: if the node about to stop is the master, hand its role over with a
 * coordinated (zero-loss) switchover and answer once another node is master, so Kubernetes sends
 * SIGTERM only after the handover. Not the master: answers at once. Concurrent calls for the same
 * node (the Valkey container's hook and the sidecar's) share one switchover.
 */
final class PreStopSwitchover {
  private static final Logger log = LoggerFactory.getLogger(PreStopSwitchover.class);
  /** Kubernetes' default terminationGracePeriodSeconds is 30 s; leave time for the shutdown. */
  static final long DEFAULT_TIMEOUT_MS = 20_000;
  private static final long NEVER = PreStopPlan.NEVER;

  private final DaemonStatus daemon;
  private final EventLoopGroup loops;
  private final Map<NodeQuery, CompletableFuture<FullHttpResponse>> running = new ConcurrentHashMap<>();

  private final java.util.function.Function<QueryStringDecoder, NodeQuery> parse;

  PreStopSwitchover(DaemonStatus daemon, EventLoopGroup loops,
      java.util.function.Function<QueryStringDecoder, NodeQuery> parse) {
    this.daemon = daemon;
    this.loops = loops;
    this.parse = parse;
  }

  CompletableFuture<FullHttpResponse> handle(QueryStringDecoder q) {
    NodeQuery n;
    long timeoutMs = DEFAULT_TIMEOUT_MS;
    try {
      n = parse.apply(q);
      if (q.parameters().containsKey("timeout-ms")) {
        timeoutMs = Long.parseLong(NodeQuery.one(q, "timeout-ms"));
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(plain(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
    }
    GroupState g = daemon.group(n.group());
    if (g == null) {
      return CompletableFuture.completedFuture(plain(HttpResponseStatus.NOT_FOUND, "no group " + n.group()));
    }
    if (!NodeReadiness.sameNode(g.masterAddress(), n.host(), n.port())) {
      return CompletableFuture.completedFuture(plain(HttpResponseStatus.OK,
          n.host() + ":" + n.port() + " is not the master; nothing to hand over"));
    }
    long deadline = daemon.clock().millis() + timeoutMs;
    return running.computeIfAbsent(n, k -> {
      CompletableFuture<FullHttpResponse> done = new CompletableFuture<>();
      log.info("preStop: {}:{} is the master of {}; handing over with a coordinated switchover",
          n.host(), n.port(), n.group());
      attempt(n, deadline, NEVER, done);
      done.whenComplete((r, e) -> running.remove(n));
      return done;
    });
  }

  /**
   * One look at the group, then another a tick-period later (its state changes no faster). A
   * switchover that aborted is asked for again once the failover back-off's upper bound has passed,
   * as the daemon itself would retry an automatic one.
   */
  private void attempt(NodeQuery n, long deadline, long lastStart, CompletableFuture<FullHttpResponse> done) {
    GroupState g = daemon.group(n.group());
    if (g == null) {
      done.complete(plain(HttpResponseStatus.NOT_FOUND, "group " + n.group() + " was removed"));
      return;
    }
    long now = daemon.clock().millis();
    long last = lastStart;
    PreStopPlan.Step step = PreStopPlan.next(g, n.host(), n.port(), now, deadline, lastStart,
        daemon.config().failover().retryMaxMs());
    if (step instanceof PreStopPlan.HandedOver h) {
      log.info("preStop: {} handed over to {}", n.group(), h.master());
      done.complete(plain(HttpResponseStatus.OK, "handed over to " + h.master()));
      return;
    }
    if (step instanceof PreStopPlan.GiveUp) {
      String why = "no switchover within the timeout; the master stops without a handover "
          + "(the daemons will fail over once it is down)";
      log.warn("preStop: {}: {}", n.group(), why);
      done.complete(plain(HttpResponseStatus.SERVICE_UNAVAILABLE, why));
      return;
    }
    if (step instanceof PreStopPlan.AskSwitchover) {
      daemon.forceFailover(n.group(), true);
      last = now;
    }
    long started = last;
    loops.next().schedule(() -> attempt(n, deadline, started, done),
        daemon.config().timing().tickPeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static FullHttpResponse plain(HttpResponseStatus status, String body) {
    return HttpEndpoints.text(status, body + "\n", "text/plain");
  }
}
