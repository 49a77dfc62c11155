package dev.vigil.operator.master;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Resp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GroupCommands} on the project's RESP client: one short-lived connection per command,
 * chained on futures (connect and command timeouts bound each), nothing waited for on the
 * caller's thread.
 */
public final class RespGroupCommands implements GroupCommands {
  private static final Logger log = LoggerFactory.getLogger(RespGroupCommands.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final RespClient client;

  public RespGroupCommands(RespClient client) {
    this.client = client;
  }

  @Override
  public CompletionStage<Boolean> switchover(String masterName, List<HostPort> daemons) {
    return firstOf(daemons, d -> exchange(d, null, c -> c.send("SENTINEL", "FAILOVER", masterName, "COORDINATED"))
        .thenApply(v -> {
          log.info("{}: coordinated switchover requested through daemon {}", masterName, d);
          return Optional.of(Boolean.TRUE);
        }), e -> log.debug("{}: a daemon refused the switchover: {}", masterName, e.toString()))
        .thenApply(Optional::isPresent);
  }

  @Override
  public CompletionStage<Boolean> configSet(HostPort node, String password, Map<String, String> parameters) {
    List<Object> args = new ArrayList<>(List.of("CONFIG", "SET"));
    parameters.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    return exchange(node, password, c -> c.send(args.toArray())).handle((v, e) -> {
      if (e != null) {
        log.debug("CONFIG SET {} on {}: {}", parameters, node, e.toString());
      }
      return e == null;
    });
  }

  @Override
  public CompletionStage<Optional<HostPort>> forgetGone(String masterName, List<HostPort> daemons,
      int expectedDaemons, int expectedReplicas) {
    return firstOf(daemons, d -> exchange(d, null, c -> c.send("SENTINEL", "MASTER", masterName)
        .thenCompose(reply -> {
          var fields = Resp.asMap(reply).asStringKeyed();
          long replicas = Resp.longValue(fields.get("num-slaves"));
          long peers = Resp.longValue(fields.get("num-other-sentinels"));
          if (replicas <= expectedReplicas && peers <= expectedDaemons - 1) {
            return CompletableFuture.completedFuture(Optional.<HostPort>empty());
          }
          return c.send("SENTINEL", "RESET", masterName).thenApply(x -> {
            log.info("{}: daemon {} knew {} replicas and {} peers for {} and {}: reset", masterName, d,
                replicas, peers, expectedReplicas, expectedDaemons - 1);
            return Optional.of(d);
          });
        })), e -> log.debug("{}: cannot check a daemon: {}", masterName, e.toString()));
  }

  /** Tries each target in turn until one gives a present result; never completes exceptionally. */
  private static <T> CompletableFuture<Optional<T>> firstOf(List<HostPort> targets,
      Function<HostPort, CompletableFuture<Optional<T>>> attempt, java.util.function.Consumer<Throwable> onError) {
    CompletableFuture<Optional<T>> chain = CompletableFuture.completedFuture(Optional.empty());
    for (HostPort t : targets) {
      chain = chain.thenCompose(found -> found.isPresent() ? CompletableFuture.completedFuture(found)
          : attempt.apply(t).exceptionally(e -> {
            onError.accept(e);
            return Optional.empty();
          }));
    }
    return chain;
  }

  /** Connects, runs {@code use}, closes the connection whatever happened. */
  private <T> CompletableFuture<T> exchange(HostPort a, String password,
      Function<RespConnection, CompletableFuture<T>> use) {
    RespClientOptions o = RespClientOptions.of(a.host(), a.port()).withConnectTimeout(TIMEOUT)
        .withCommandTimeout(TIMEOUT).withClientName("vigil-operator");
    if (password != null) {
      o = o.withAuth(null, password);
    }
    return client.connect(o).thenCompose(c -> use.apply(c).whenComplete((v, e) -> c.closeAsync()));
  }
}
