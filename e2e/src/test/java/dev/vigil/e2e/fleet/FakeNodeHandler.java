package dev.vigil.e2e.fleet;

import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One client connection to a fake node: the commands a Sentinel sends, answered as Valkey does,
 * in RESP2 or (after {@code HELLO 3}) RESP3. Anything else is an unknown command.
 */
final class FakeNodeHandler extends SimpleChannelInboundHandler<RespValue> {
  private final FakeFleet fleet;
  private final int port;
  private int protocol = 2;
  /** Commands queued after MULTI, or null outside a transaction. */
  private List<List<String>> queued;

  FakeNodeHandler(FakeFleet fleet, int port) {
    this.fleet = fleet;
    this.port = port;
  }

  private FakeNode node() {
    return fleet.node(port);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    FakeNode n = node();
    if (n == null) {
      ctx.close();
      return;
    }
    n.connected(ctx.channel());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FakeNode n = node();
    if (n != null) {
      n.disconnected(ctx.channel());
    }
    fleet.pingGaps().closed(ctx.channel());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.writeAndFlush(Resp.error("ERR Protocol error: " + cause.getMessage()));
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, RespValue msg) {
    List<String> args = new ArrayList<>();
    for (RespValue v : Resp.elements(msg)) {
      args.add(Resp.text(v));
    }
    if (args.isEmpty()) {
      return;
    }
    String name = args.get(0).toUpperCase(Locale.ROOT);
    fleet.commandCounts().count(name);
    if (queued != null && !name.equals("EXEC") && !name.equals("DISCARD")
        && !name.equals("MULTI")) {
      queued.add(args);
      ctx.write(Resp.simple("QUEUED"));
    } else {
      RespValue reply = execute(ctx.channel(), name, args);
      if (reply != null) {
        ctx.write(reply);
      }
    }
    if (name.equals("QUIT")) {
      ctx.writeAndFlush(Resp.simple("OK")).addListener(f -> ctx.close());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  /** The reply to one command; null when it writes its own replies (SUBSCRIBE). */
  private RespValue execute(Channel ch, String name, List<String> args) {
    FakeNode n = node();
    switch (name) {
      case "PING":
        n.pinged(System.nanoTime());
        fleet.pingGaps().ping(ch, System.nanoTime());
        return args.size() > 1 ? Resp.bulk(args.get(1)) : Resp.simple("PONG");
      case "HELLO":
        return hello(args);
      case "AUTH":
      case "SELECT":
        return Resp.simple("OK");
      case "INFO":
        return Resp.bulk(n.info());
      case "ROLE":
        return role(n);
      case "REPLICAOF":
      case "SLAVEOF":
        if (args.size() != 3) {
          return Resp.error("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT)
              + "' command");
        }
        if (args.get(1).equalsIgnoreCase("NO") && args.get(2).equalsIgnoreCase("ONE")) {
          n.replicaOf(null);
        } else {
          n.replicaOf(Integer.parseInt(args.get(2)));
        }
        return Resp.simple("OK");
      case "PUBLISH":
        return Resp.integer(publish(n, args.get(1), args.get(2)));
      case "SUBSCRIBE":
        subscribe(ch, n, args.subList(1, args.size()));
        return null;
      case "UNSUBSCRIBE":
        n.subscriptions().remove(ch);
        return push("unsubscribe", Resp.bulk(args.size() > 1 ? args.get(1) : ""),
            Resp.integer(0));
      case "CLIENT":
        return client(args);
      case "CONFIG":
        if (args.size() > 1 && args.get(1).equalsIgnoreCase("GET")) {
          return protocol == 3 ? RespMap.ofPairs() : Resp.array();
        }
        return Resp.simple("OK");
      case "MULTI":
        if (queued != null) {
          return Resp.error("ERR MULTI calls can not be nested");
        }
        queued = new ArrayList<>();
        return Resp.simple("OK");
      case "EXEC":
        if (queued == null) {
          return Resp.error("ERR EXEC without MULTI");
        }
        List<List<String>> commands = queued;
        queued = null;
        List<RespValue> replies = new ArrayList<>();
        for (List<String> c : commands) {
          RespValue r = execute(ch, c.get(0).toUpperCase(Locale.ROOT), c);
          replies.add(r == null ? Resp.simple("OK") : r);
        }
        return new RespArray(replies);
      case "DISCARD":
        queued = null;
        return Resp.simple("OK");
      case "SCRIPT":
        return Resp.error("NOTBUSY No scripts in execution right now.");
      case "ECHO":
        return Resp.bulk(args.get(1));
      case "QUIT":
        return null;
      default:
        return Resp.error("ERR unknown command '" + args.get(0) + "', with args beginning with: ");
    }
  }

  private RespValue hello(List<String> args) {
    if (args.size() > 1) {
      int version;
      try {
        version = Integer.parseInt(args.get(1));
      } catch (NumberFormatException e) {
        return Resp.error("ERR Protocol version is not an integer or out of range");
      }
      if (version != 2 && version != 3) {
        return Resp.error("NOPROTO unsupported protocol version");
      }
      protocol = version;
    }
    RespValue[] pairs = {Resp.bulk("server"), Resp.bulk("redis"), Resp.bulk("version"),
        Resp.bulk("7.2.4"), Resp.bulk("proto"), Resp.integer(protocol), Resp.bulk("id"),
        Resp.integer(1), Resp.bulk("mode"), Resp.bulk("standalone"), Resp.bulk("role"),
        Resp.bulk(node().isMaster() ? "master" : "replica"), Resp.bulk("modules"), Resp.array()};
    return protocol == 3 ? RespMap.ofPairs(pairs) : Resp.array(pairs);
  }

  private RespValue role(FakeNode n) {
    if (n.isMaster()) {
      List<RespValue> rs = new ArrayList<>();
      for (FakeNode r : n.replicas()) {
        rs.add(Resp.array(Resp.bulk("127.0.0.1"), Resp.bulk(Integer.toString(r.port)),
            Resp.bulk(Long.toString(r.offset()))));
      }
      return Resp.array(Resp.bulk("master"), Resp.integer(n.offset()), new RespArray(rs));
    }
    return Resp.array(Resp.bulk("slave"), Resp.bulk("127.0.0.1"), Resp.integer(n.masterPort()),
        Resp.bulk("connected"), Resp.integer(n.offset()));
  }

  private RespValue client(List<String> args) {
    String sub = args.size() > 1 ? args.get(1).toUpperCase(Locale.ROOT) : "";
    return switch (sub) {
      // The fleet's clients are all Sentinels: nobody to disconnect.
      case "KILL" -> Resp.integer(0);
      case "ID" -> Resp.integer(System.identityHashCode(this));
      case "GETNAME" -> Resp.bulk("");
      default -> Resp.simple("OK");
    };
  }

  private void subscribe(Channel ch, FakeNode n, List<String> channels) {
    Set<String> mine = n.subscriptions().computeIfAbsent(ch, c -> new LinkedHashSet<>());
    for (String c : channels) {
      mine.add(c);
      ch.write(push("subscribe", Resp.bulk(c), Resp.integer(mine.size())));
    }
  }

  private long publish(FakeNode n, String channel, String payload) {
    long receivers = 0;
    for (Map.Entry<Channel, Set<String>> e : n.subscriptions().entrySet()) {
      if (e.getValue().contains(channel)) {
        FakeNodeHandler h = e.getKey().pipeline().get(FakeNodeHandler.class);
        e.getKey().writeAndFlush(h.push("message", Resp.bulk(channel), Resp.bulk(payload)));
        receivers++;
      }
    }
    return receivers;
  }

  private RespValue push(String kind, RespValue... rest) {
    List<RespValue> elements = new ArrayList<>();
    elements.add(Resp.bulk(kind));
    elements.addAll(List.of(rest));
    return protocol == 3 ? new Push(elements) : new RespArray(elements);
  }
}
