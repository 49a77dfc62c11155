package dev.vigil.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.operator.api.ValkeyCluster;
import dev.vigil.operator.master.Endpoints;
import dev.vigil.operator.master.HostPort;
import dev.vigil.operator.master.MasterTracker;
import dev.vigil.operator.master.RespGroupCommands;
import dev.vigil.operator.model.Labels;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Resp;
import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.daemon.SentinelDaemon;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code writeServiceFollowsMaster} with real parts: three Valkey servers on 127.0.0.2-4 (the
 * pods' IPs in the mock API server), three real daemons, the operator's master tracker. Killing
 * the master moves the write Service's selector to the promoted pod, records it in status and
 * emits an Event.
 */
@EnableKubernetesMockClient(crud = true)
class WriteServiceFollowsMasterTest {
  static KubernetesClient client;
  private static final String NS = "prod";

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;
  private final List<SentinelDaemon> daemons = new ArrayList<>();
  private MultiThreadIoEventLoopGroup loops;
  private MasterTracker tracker;

  @AfterEach
  void tearDown() {
    if (tracker != null) {
      tracker.close();
    }
    daemons.forEach(SentinelDaemon::close);
    if (loops != null) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private SentinelDaemon daemon(int i, ValkeyServer master) throws Exception {
    Path conf = dir.resolve("vigil-" + i + ".conf");
    Files.writeString(conf, """
        vigil {
          port = 0
          bind = ["127.0.0.1"]
          http-port = 0
          state-file = "state-%d.conf"
          timing { publish-period = 200ms, info-period = 1s, ping-period = 200ms }
          failover { fresh-identity-quarantine = 0 }
          masters { cache { host = "%s", port = %d, quorum = 2, down-after-milliseconds = 500,
                            failover-timeout = 10000 } }
        }
        """.formatted(i, master.host(), master.port()));
    SentinelDaemon d = new SentinelDaemon(ConfigLoader.load(conf), Clock.MONOTONIC).start();
    daemons.add(d);
    return d;
  }

  @Test
  void killingTheMasterMovesTheWriteServiceToThePromotedPod() throws Exception {
    List<ValkeyServer> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // As init-node sets it in a pod: the master lists each replica at its pod IP.
      nodes.add(servers.start(ValkeyServer.builder().bind("127.0.0." + (2 + i)).name("cache-" + i)
          .config("replica-announce-ip 127.0.0." + (2 + i))));
    }
    nodes.get(1).replicaOf(nodes.get(0));
    nodes.get(2).replicaOf(nodes.get(0));
    nodes.subList(1, 3).forEach(ValkeyServer::awaitReplicationLinkUp);
    nodes.get(0).awaitOnlineReplicas(2);
    for (int i = 0; i < 3; i++) {
      daemon(i, nodes.get(0));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> daemons.stream().allMatch(d ->
        d.group("cache").peers().size() == 2 && d.group("cache").replicas().size() == 2));

    // Pod i is the server on 127.0.0.(2+i); its daemon is the in-process one at index i.
    Endpoints endpoints = new Endpoints() {
      @Override
      public List<HostPort> daemons(ValkeyCluster c, List<Pod> pods) {
        return daemons.stream().map(d -> new HostPort("127.0.0.1", d.port())).toList();
      }

      @Override
      public Optional<String> podFor(ValkeyCluster c, HostPort master, List<Pod> pods) {
        return Endpoints.byAddress(c, master, pods);
      }

      @Override
      public HostPort node(ValkeyCluster c, Pod pod) {
        int i = Integer.parseInt(pod.getMetadata().getName().substring("cache-".length()));
        return new HostPort(nodes.get(i).host(), nodes.get(i).port());
      }
    };
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    AtomicLong movedAt = new AtomicLong(-1);
    ClusterReconciler[] reconciler = new ClusterReconciler[1];
    tracker = new MasterTracker(loops, (key, master) -> {
      // What the operator does: move the Service at once on its own path, then reconcile
      // (one reconcile of a cluster at a time, hence the lock).
      reconciler[0].writeService().move(key, master);
      movedAt.set(System.nanoTime());
      reconcile(reconciler[0]);
    }, Duration.ofSeconds(5));
    RespClient commandClient = new RespClient(loops);
    reconciler[0] = new ClusterReconciler(new ClusterReconciler.Parts(client, new ApiObjectCache(client),
        new CreateOrReplaceApplier(client), tracker, new RespGroupCommands(commandClient), endpoints,
        "vigil:test", () -> "unused", java.time.Clock.systemUTC()));
    FakeStatefulSetController pods = new FakeStatefulSetController(client, i -> "127.0.0." + (2 + i));

    ValkeyCluster c = new ValkeyCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("cache").withNamespace(NS).build());
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).create();
    reconcile(reconciler[0]);
    pods.sync(NS);
    reconcile(reconciler[0]);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      reconcile(reconciler[0]);
      return "cache-0".equals(status().master);
    });

    // A scale-in gives the pod to go replica-priority 0 (no failover may promote it while it
    // goes); cancelled, the pod gets its priority back, or it could never be promoted again.
    // The commands go out asynchronously; each reconcile looks at what came back.
    editSpec(x -> x.getSpec().replicas = 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      reconcile(reconciler[0]);
      return nodes.get(2).command("CONFIG", "GET", "replica-priority").equals(List.of("replica-priority", "0"));
    });
    editSpec(x -> x.getSpec().replicas = 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      reconcile(reconciler[0]);
      return nodes.get(2).command("CONFIG", "GET", "replica-priority").equals(List.of("replica-priority", "100"));
    });

    // Watch +switch-master as a client would, to time the operator against it.
    AtomicLong switchAt = new AtomicLong(-1);
    try (RespClient rc = new RespClient(1);
        RespConnection sub = rc.connect(RespClientOptions.of("127.0.0.1", daemons.get(0).port()))
            .get(5, TimeUnit.SECONDS)) {
      sub.onPush(p -> {
        if (Resp.text(p.elements().get(1)).equals("+switch-master")) {
          switchAt.compareAndSet(-1, System.nanoTime());
        }
      });
      sub.subscribe("+switch-master").get(5, TimeUnit.SECONDS);
      nodes.get(0).kill9();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        String selected = writeServicePod();
        return selected.equals("cache-1") || selected.equals("cache-2");
      });
    }
    String promoted = writeServicePod();
    ValkeyServer newMaster = nodes.get(Integer.parseInt(promoted.substring("cache-".length())));
    assertThat(newMaster.info("replication").get("role")).isEqualTo("master");
    // The Service moved first; the reconcile that follows records the change.
    await().atMost(Duration.ofSeconds(10)).until(() -> promoted.equals(status().master));
    assertThat(status().lastFailover.from).isEqualTo("cache-0");
    assertThat(status().lastFailover.to).isEqualTo(promoted);
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "MasterChanged".equals(e.getReason()) && e.getMessage().contains(promoted));
    // A reconcile now keeps the selector where the daemons put it.
    reconcile(reconciler[0]);
    assertThat(writeServicePod()).isEqualTo(promoted);
    long ms = (movedAt.get() - switchAt.get()) / 1_000_000;
    System.out.printf("write Service moved %d ms after the first +switch-master%n", ms);
    assertThat(switchAt.get()).isPositive();
  }

  /** The operator reconciles one thing at a time; so does this test, with the tracker's callback. */
  private final Object queue = new Object();

  private void reconcile(ClusterReconciler r) {
    synchronized (queue) {
      r.reconcile(client.resources(ValkeyCluster.class).inNamespace(NS).withName("cache").get());
    }
  }

  private void editSpec(java.util.function.Consumer<ValkeyCluster> change) {
    ValkeyCluster c = client.resources(ValkeyCluster.class).inNamespace(NS).withName("cache").get();
    change.accept(c);
    client.resources(ValkeyCluster.class).inNamespace(NS).resource(c).update();
  }

  private String writeServicePod() {
    return client.services().inNamespace(NS).withName("cache").get().getSpec().getSelector()
        .get(Labels.POD_NAME);
  }

  private dev.vigil.operator.api.ValkeyClusterStatus status() {
    ValkeyCluster c = client.resources(ValkeyCluster.class).inNamespace(NS).withName("cache").get();
    return c.getStatus() == null ? new dev.vigil.operator.api.ValkeyClusterStatus() : c.getStatus();
  }
}
