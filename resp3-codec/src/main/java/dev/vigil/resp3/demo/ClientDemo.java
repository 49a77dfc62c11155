package dev.vigil.resp3.demo;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.client.RoleReply;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The codec's demo (what {@code bin/vigil demo} runs until the daemon exists): starts a master and
 * a replica on loopback, then shows the RESP3 client greeting them, reading replication state,
 * receiving pub/sub pushes and pipelining writes acknowledged with WAIT.
 */
public final class ClientDemo {
  private ClientDemo() {}

  public static void main(String[] args) throws Exception {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try (LocalServer master = LocalServer.start();
        LocalServer replica = LocalServer.start("--replicaof", "127.0.0.1",
            Integer.toString(master.port()));
        RespClient client = new RespClient(1)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        master.close();
        replica.close();
      }));
      RespConnection m = client.connect(options(master.port(), "demo-master")).get(5, TimeUnit.SECONDS);
      RespConnection r = client.connect(options(replica.port(), "demo-replica")).get(5, TimeUnit.SECONDS);
      System.out.printf("master  %s: %s%n", master.address(), summary(m));
      System.out.printf("replica %s: %s%n", replica.address(), summary(r));

      awaitLinkUp(r);
      CountDownLatch received = new CountDownLatch(1);
      r.onPush(p -> {
        System.out.println("push on the replica's connection: " + p);
        received.countDown();
      });
      r.subscribe("vigil-demo").get(5, TimeUnit.SECONDS);
      m.publish("vigil-demo", "hello over RESP3").get(5, TimeUnit.SECONDS);
      received.await(5, TimeUnit.SECONDS);

      long start = System.nanoTime();
      List<CompletableFuture<RespValue>> replies = new ArrayList<>(writes);
      for (int i = 0; i < writes; i++) {
        replies.add(m.send("SET", "key:" + i, "value:" + i));
      }
      CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long acked = m.waitReplicas(1, 5_000).get(10, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%,d pipelined SETs in %.2f s (%,.0f/s), WAIT 1 -> %d replica(s) acked%n",
          writes, seconds, writes / seconds, acked);

      RoleReply role = m.role().get(5, TimeUnit.SECONDS);
      System.out.printf("master ROLE: offset %d, replicas %s%n", role.offset(), role.replicas());
      InfoReply info = r.info("replication").get(5, TimeUnit.SECONDS);
      System.out.printf("replica INFO replication: link %s, offset %s%n",
          info.get("master_link_status"), info.get("slave_repl_offset"));
      m.close();
      r.close();
    }
  }

  private static RespClientOptions options(int port, String name) {
    return RespClientOptions.of("127.0.0.1", port).withClientName(name);
  }

  private static String summary(RespConnection c) {
    if (c.hello() == null) {
      return "RESP" + c.protocol();
    }
    return "RESP" + c.protocol() + ", " + Resp.text(c.hello().get("server")) + " "
        + Resp.text(c.hello().get("version")) + ", role " + Resp.text(c.hello().get("role"));
  }

  private static void awaitLinkUp(RespConnection replica) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      RoleReply role = replica.role().get(5, TimeUnit.SECONDS);
      if ("connected".equals(role.linkState())) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("replica did not connect to its master");
  }
}
