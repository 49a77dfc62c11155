package dev.vigil.resp3.client;

import dev.vigil.resp3.codec.RespCommand;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Typed helpers for the commands a failover daemon sends. Each returns a future that fails with
 * {@link RespServerException} on an error reply.
 */
public interface ValkeyCommands {
  /** Sends any command; the future holds the raw reply. */
  CompletableFuture<RespValue> send(RespCommand command);

  default CompletableFuture<RespValue> send(Object... args) {
    return send(RespCommand.of(args));
  }

  /** PING, one instance for every call: a watcher sends thousands a second. */
  RespCommand PING = RespCommand.of("PING");

  /** PING; the future holds the reply text ({@code PONG}). */
  default CompletableFuture<String> ping() {
    return send(PING).thenApply(ValkeyCommands::pingText);
  }

  default CompletableFuture<InfoReply> info(String... sections) {
    Object[] args = new Object[sections.length + 1];
    args[0] = "INFO";
    System.arraycopy(sections, 0, args, 1, sections.length);
    return send(args).thenApply(r -> InfoReply.parse(Resp.text(r)));
  }

  default CompletableFuture<RoleReply> role() {
    return send("ROLE").thenApply(RoleReply::parse);
  }

  /** {@code REPLICAOF host port}. */
  default CompletableFuture<String> replicaOf(String host, int port) {
    return send("REPLICAOF", host, port).thenApply(Resp::text);
  }

  /** {@code REPLICAOF NO ONE}: promotes a replica. */
  default CompletableFuture<String> replicaOfNoOne() {
    return send("REPLICAOF", "NO", "ONE").thenApply(Resp::text);
  }

  /** Publishes; the future holds how many subscribers received it. */
  default CompletableFuture<Long> publish(String channel, String message) {
    return send("PUBLISH", channel, message).thenApply(Resp::longValue);
  }

  /** Subscribes; messages arrive at the connection's push listeners. */
  default CompletableFuture<RespValue> subscribe(String... channels) {
    return send(prepend("SUBSCRIBE", channels));
  }

  default CompletableFuture<RespValue> psubscribe(String... patterns) {
    return send(prepend("PSUBSCRIBE", patterns));
  }

  default CompletableFuture<RespValue> unsubscribe(String... channels) {
    return send(prepend("UNSUBSCRIBE", channels));
  }

  default CompletableFuture<RespValue> punsubscribe(String... patterns) {
    return send(prepend("PUNSUBSCRIBE", patterns));
  }

  /**
   * Runs commands in one MULTI/EXEC transaction, pipelined. The future holds EXEC's reply: the
   * list of results (errors inside stay values), or fails if the transaction was aborted or a
   * command was rejected while queueing ({@code EXECABORT}, naming the first command refused and
   * why: "EXECABORT CLIENT refused: NOPERM ...", where the server's own EXECABORT says only that
   * something was).
   */
  default CompletableFuture<List<RespValue>> transaction(List<RespCommand> commands) {
    send("MULTI");
    List<CompletableFuture<RespValue>> queued = new ArrayList<>(commands.size());
    for (RespCommand c : commands) {
      queued.add(send(c));
    }
    return send("EXEC").handle((r, error) -> {
      if (unwrapped(error) instanceof RespServerException e && e.code().equals("EXECABORT")) {
        // EXEC's reply came, so every queueing reply before it has too (replies are in order).
        for (int i = 0; i < queued.size(); i++) {
          Throwable refused = unwrapped(queued.get(i).handle((v, t) -> t).getNow(null));
          if (refused != null) {
            throw new RespServerException("EXECABORT " + commands.get(i).name() + " refused: "
                + refused.getMessage());
          }
        }
      }
      if (error != null) {
        throw error instanceof RuntimeException re ? re
            : new java.util.concurrent.CompletionException(error);
      }
      if (r.isNull()) {
        throw new RespServerException("EXECABORT transaction aborted (WATCH)");
      }
      return Resp.elements(r);
    });
  }

  /** The failure a stage completed with, without the CompletionException a dependent adds. */
  private static Throwable unwrapped(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause() : t;
  }

  /** {@code CONFIG GET pattern} as an ordered map. */
  default CompletableFuture<Map<String, String>> configGet(String pattern) {
    return send("CONFIG", "GET", pattern).thenApply(r -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (RespMap.Entry e : Resp.asMap(r).entries()) {
        out.put(Resp.text(e.key()), Resp.text(e.value()));
      }
      return out;
    });
  }

  default CompletableFuture<String> configSet(String key, String value) {
    return send("CONFIG", "SET", key, value).thenApply(Resp::text);
  }

  /**
   * {@code CLIENT KILL} with filters, e.g. {@code clientKill("TYPE", "normal")}; the future holds
   * how many clients were killed.
   */
  default CompletableFuture<Long> clientKill(String... filters) {
    Object[] args = new Object[filters.length + 2];
    args[0] = "CLIENT";
    args[1] = "KILL";
    System.arraycopy(filters, 0, args, 2, filters.length);
    return send(args).thenApply(Resp::longValue);
  }

  /**
   * {@code WAIT numreplicas timeout}: blocks (server side) until that many replicas acknowledged
   * the writes so far; the future holds how many did.
   */
  default CompletableFuture<Long> waitReplicas(int replicas, long timeoutMillis) {
    return send("WAIT", replicas, timeoutMillis).thenApply(Resp::longValue);
  }

  private static Object[] prepend(String head, String[] rest) {
    List<Object> args = new ArrayList<>(rest.length + 1);
    args.add(head);
    args.addAll(Arrays.asList(rest));
    return args.toArray();
  }

  /** The text of a PING reply ({@code PONG}, or a PING with an argument's echo). */
  static String pingText(RespValue reply) {
    // In RESP2 subscribe mode PING answers ["pong", ""].
    if (Resp.isText(reply)) {
      return Resp.text(reply);
    }
    return Resp.text(Resp.elements(reply).get(0));
  }
}
