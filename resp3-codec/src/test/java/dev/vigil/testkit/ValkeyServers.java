package dev.vigil.testkit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that owns the servers a test starts: when the test fails it prints each
 * server's log, and after every test it kills them all.
 *
 * <pre>
 * {@literal @}RegisterExtension final ValkeyServers servers = new ValkeyServers();
 * ValkeyServer master = servers.start();
 * ValkeyServer replica = servers.start(ValkeyServer.builder().name("replica"));
 * </pre>
 */
public final class ValkeyServers implements AfterEachCallback {
  private final List<ValkeyServer> servers = new ArrayList<>();

  public ValkeyServer start() {
    return start(ValkeyServer.builder());
  }

  public synchronized ValkeyServer start(ValkeyServer.Builder builder) {
    ValkeyServer s = builder.start();
    servers.add(s);
    return s;
  }

  /** A master and {@code n} replicas with their links up. */
  public List<ValkeyServer> startGroup(int replicas) {
    return startGroup(replicas, null);
  }

  /** A master and {@code n} replicas, TLS only with these files when {@code tls} is not null. */
  public List<ValkeyServer> startGroup(int replicas, TlsFiles tls) {
    List<ValkeyServer> group = new ArrayList<>();
    ValkeyServer master = start(ValkeyServer.builder().name("master").tls(tls));
    group.add(master);
    for (int i = 0; i < replicas; i++) {
      ValkeyServer r = start(ValkeyServer.builder().name("replica" + (i + 1)).tls(tls));
      r.replicaOf(master);
      group.add(r);
    }
    group.subList(1, group.size()).forEach(ValkeyServer::awaitReplicationLinkUp);
    // A replica reports its link up when it has loaded the dataset; the master marks it online
    // only at its first acknowledgement, a moment later. Wait for both views to agree.
    master.awaitOnlineReplicas(replicas);
    return group;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      for (ValkeyServer s : servers) {
        System.out.println("===== log of " + s + " (test failed) =====");
        System.out.println(s.logContents());
      }
    }
    servers.forEach(ValkeyServer::close);
    servers.clear();
  }
}
