package dev.vigil.operator.master;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
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
  private final TlsLinks tls;

  public RespGroupCommands(RespClient client) {
    this(client, new TlsLinks());
  }

  public RespGroupCommands(RespClient client, TlsLinks tls) {
    this.client = client;
    this.tls = tls;
  }

  @Override
  public void useTls(String clusterKey, Optional<TlsMaterial> material, java.util.Collection<String> hosts) {
    try {
      tls.use(clusterKey, material, hosts);
    } catch (IllegalArgumentException e) {
      // A key that does not parse: links to this cluster cannot use TLS; the rest of the
      // reconcile (status, other commands) goes on.
      log.warn("{}", e.getMessage());
      tls.use(clusterKey, Optional.empty(), hosts);
    }
  }

  @Override
  public CompletionStage<Boolean> reloadTls(HostPort node, String password, TlsMaterial material,
      Map<String, String> parameters) {
    String wanted = material.leafSha256();
    List<Object> args = new ArrayList<>(List.of("CONFIG", "SET"));
    parameters.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    return served(node, password, material).thenCompose(before -> {
      if (before.equals(wanted)) {
        return CompletableFuture.completedFuture(true);
      }
      return exchange(node, password, material, x -> { }, c -> c.send(args.toArray()))
          .thenCompose(ok -> served(node, password, material))
          .thenApply(after -> {
            if (after.equals(wanted)) {
              log.info("{}: reloaded its TLS certificate ({} -> {})", node, before.substring(0, 12),
                  after.substring(0, 12));
            } else {
              log.debug("{}: still serves {} after CONFIG SET; the pod's files are not updated yet", node,
                  after.substring(0, 12));
            }
            return after.equals(wanted);
          });
    }).handle((ok, e) -> {
      if (e != null) {
        log.debug("TLS reload of {}: {}", node, e.toString());
      }
      return e == null && Boolean.TRUE.equals(ok);
    });
  }

  /** SHA-256 of the leaf certificate a node presents to a new connection. */
  private CompletableFuture<String> served(HostPort node, String password, TlsMaterial material) {
    java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
    return exchange(node, password, material, cert -> {
      try {
        seen.set(TlsMaterial.sha256(cert.getEncoded()));
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }, c -> c.send("PING")).thenApply(pong -> seen.get());
  }

  private <T> CompletableFuture<T> exchange(HostPort a, String password, TlsMaterial material,
      java.util.function.Consumer<java.security.cert.X509Certificate> presented,
      Function<RespConnection, CompletableFuture<T>> use) {
    io.netty.handler.ssl.SslContext ssl;
    try {
      ssl = TlsLinks.context(material, presented);
    } catch (javax.net.ssl.SSLException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return exchange(a, password, ssl, use);
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

  @Override
  public CompletionStage<Boolean> holdSeen(String masterName, List<HostPort> daemons, int replicas) {
    if (daemons.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    // Every daemon: any one that still reads an older priority could start a failover.
    List<CompletableFuture<Boolean>> each = daemons.stream()
        .map(d -> exchange(d, null, c -> c.send("SENTINEL", "REPLICAS", masterName)).thenApply(reply -> {
          List<RespValue> listed = Resp.elements(reply);
          boolean held = listed.size() >= replicas && listed.stream().allMatch(r -> {
            var f = Resp.asMap(r).asStringKeyed();
            RespValue p = f.get("slave-priority") != null ? f.get("slave-priority") : f.get("replica-priority");
            return p != null && Resp.longValue(p) == 0;
          });
          if (!held) {
            log.debug("{}: daemon {} does not see all {} replicas at priority 0 yet", masterName, d, replicas);
          }
          return held;
        }).exceptionally(e -> {
          log.debug("{}: cannot ask daemon {} for its replicas: {}", masterName, d, e.toString());
          return false;
        }))
        .toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(x -> each.stream().allMatch(CompletableFuture::join));
  }

  @Override
  public CompletionStage<Boolean> inSync(HostPort master, List<HostPort> replicas, String password) {
    return replication(master, password).thenCompose(m -> {
      if (!"master".equals(m.get("role")) || m.get("master_replid") == null) {
        log.debug("in-sync check: {} is not a master: {}", master, m.get("role"));
        return CompletableFuture.completedFuture(false);
      }
      String replid = m.get("master_replid");
      List<CompletableFuture<Boolean>> each = replicas.stream().map(r -> replication(r, password).thenApply(i -> {
        boolean ok = "slave".equals(i.get("role")) && "up".equals(i.get("master_link_status"))
            && "0".equals(i.get("master_sync_in_progress")) && replid.equals(i.get("master_replid"));
        if (!ok) {
          log.debug("in-sync check: {} is not in sync with {} yet (role {}, link {}, replid {} vs {})", r, master,
              i.get("role"), i.get("master_link_status"), i.get("master_replid"), replid);
        }
        return ok;
      })).toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
          .thenApply(x -> each.stream().allMatch(CompletableFuture::join));
    }).handle((ok, e) -> {
      if (e != null) {
        log.debug("in-sync check of {}: {}", master, e.toString());
      }
      return e == null && Boolean.TRUE.equals(ok);
    });
  }

  private CompletableFuture<java.util.Map<String, String>> replication(HostPort node, String password) {
    return exchange(node, password, c -> c.send("INFO", "replication"))
        .thenApply(v -> dev.vigil.resp3.client.InfoReply.parse(Resp.text(v)).section("replication"));
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
    return exchange(a, password, tls.sslFor(a.host()), use);
  }

  private <T> CompletableFuture<T> exchange(HostPort a, String password, io.netty.handler.ssl.SslContext ssl,
      Function<RespConnection, CompletableFuture<T>> use) {
    RespClientOptions o = RespClientOptions.of(a.host(), a.port()).withConnectTimeout(TIMEOUT)
        .withCommandTimeout(TIMEOUT).withClientName("vigil-operator").withSsl(ssl);
    if (password != null) {
      o = o.withAuth(null, password);
    }
    return client.connect(o).thenCompose(c -> use.apply(c).whenComplete((v, e) -> c.closeAsync()));
  }
}
