package dev.vigil.sentinel.server;

import static dev.vigil.sentinel.server.Replies.bulk;
import static dev.vigil.sentinel.server.Replies.error;

import dev.vigil.resp3.codec.RespProtocolException;
import dev.vigil.resp3.value.BulkString;
import dev.vigil.resp3.value.Resp;
import dev.vigil.resp3.value.RespArray;
import dev.vigil.resp3.value.RespInteger;
import dev.vigil.resp3.value.RespMap;
import dev.vigil.resp3.value.RespValue;
import dev.vigil.resp3.value.SimpleString;
import dev.vigil.sentinel.monitor.Hello;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client on the daemon's port: the commands a Sentinel has, with Valkey's error texts,
 * in RESP2 or RESP3 as the client chose with HELLO. Anything else is Sentinel's unknown-command
 * error; malformed input closes the connection (the decoder's protocol error), never the daemon.
 */
final class CommandHandler extends SimpleChannelInboundHandler<RespValue> {
  private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
  /** Commands allowed before AUTH when requirepass is set. */
  private static final Set<String> BEFORE_AUTH = Set.of("AUTH", "HELLO", "QUIT");

  private final SentinelServer server;
  private final DaemonCommands daemon;
  private final SentinelCommands sentinel;
  private ClientSession session;

  CommandHandler(SentinelServer server, DaemonCommands daemon) {
    this.server = server;
    this.daemon = daemon;
    this.sentinel = new SentinelCommands(daemon);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    session = new ClientSession(ctx.channel(), daemon.config().requirePass() == null,
        daemon.clock().millis());
    server.register(session);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    server.unregister(session);
    ctx.fireChannelInactive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, RespValue msg) {
    List<String> args = arguments(msg);
    if (args == null) {
      reply(ctx, error("ERR Protocol error: expected an array of bulk strings"));
      ctx.close();
      return;
    }
    if (args.isEmpty()) {
      return;
    }
    server.countCommand();
    String name = args.get(0).toUpperCase(Locale.ROOT);
    session.lastCommand = name;
    if (!session.authenticated && !BEFORE_AUTH.contains(name)) {
      reply(ctx, error("NOAUTH Authentication required."));
      return;
    }
    if (session.subscriptions() > 0 && session.protocol == 2 && !SUBSCRIBED_OK.contains(name)) {
      reply(ctx, error("ERR Can't execute '" + args.get(0).toLowerCase(Locale.ROOT)
          + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
      return;
    }
    // Commands run one after another per client: a change that completes on a group's loop
    // (SENTINEL SET) is applied before the client's next command reads the group.
    tail = tail.thenCompose(ignored -> {
      try {
        return dispatch(ctx, name, args);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }).handle((reply, e) -> {
      if (e != null) {
        log.warn("command {} failed", name, e);
        reply(ctx, error("ERR " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
      } else if (reply != null) {
        reply(ctx, reply);
      }
      return null;
    });
  }

  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  private CompletableFuture<RespValue> dispatch(ChannelHandlerContext ctx, String name,
      List<String> args) {
    if (name.equals("SENTINEL")) {
      return sentinel.execute(args);
    }
    return CompletableFuture.completedFuture(dispatchNow(ctx, name, args));
  }

  private static final Set<String> SUBSCRIBED_OK = Set.of("SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE",
      "PUNSUBSCRIBE", "PING", "QUIT", "RESET");

  private RespValue dispatchNow(ChannelHandlerContext ctx, String name, List<String> args) {
    switch (name) {
      case "PING" -> {
        if (args.size() > 2) {
          return arity("ping");
        }
        if (session.subscriptions() > 0 && session.protocol == 2) {
          return RespArray.of(bulk("pong"), bulk(args.size() == 2 ? args.get(1) : ""));
        }
        return args.size() == 2 ? bulk(args.get(1)) : SimpleString.PONG;
      }
      case "AUTH" -> {
        return auth(args);
      }
      case "HELLO" -> {
        return hello(args);
      }
      case "INFO" -> {
        // Sentinel answers INFO with a bulk string in both protocols (not verbatim as servers do).
        return bulk(InfoSections.render(daemon, args.subList(1, args.size()), server));
      }
      case "ROLE" -> {
        List<String> names = new ArrayList<>();
        daemon.groups().forEach(g -> names.add(g.name()));
        return RespArray.of(bulk("sentinel"), Replies.bulkArray(names));
      }
      case "CLIENT" -> {
        return client(ctx, args);
      }
      case "COMMAND" -> {
        return command(args);
      }
      case "SUBSCRIBE", "PSUBSCRIBE" -> {
        if (args.size() < 2) {
          return arity(name.toLowerCase(Locale.ROOT));
        }
        boolean pattern = name.equals("PSUBSCRIBE");
        for (String ch : args.subList(1, args.size())) {
          (pattern ? session.patterns : session.channels).add(ch);
          confirm(ctx, pattern ? "psubscribe" : "subscribe", ch);
        }
        return null;
      }
      case "UNSUBSCRIBE", "PUNSUBSCRIBE" -> {
        boolean pattern = name.equals("PUNSUBSCRIBE");
        Set<String> set = pattern ? session.patterns : session.channels;
        List<String> targets = args.size() > 1 ? args.subList(1, args.size()) : new ArrayList<>(set);
        String kind = pattern ? "punsubscribe" : "unsubscribe";
        if (targets.isEmpty()) {
          confirm(ctx, kind, null);
        }
        for (String ch : targets) {
          set.remove(ch);
          confirm(ctx, kind, ch);
        }
        return null;
      }
      case "PUBLISH" -> {
        if (args.size() != 3) {
          return arity("publish");
        }
        if (!args.get(1).equals(Hello.CHANNEL)) {
          return error("ERR Only HELLO messages are accepted by Sentinel instances.");
        }
        Hello.parse(args.get(2)).ifPresent(daemon::helloFromPeer);
        return RespInteger.of(1);
      }
      case "QUIT" -> {
        ctx.writeAndFlush(Replies.OK).addListener(ChannelFutureListener.CLOSE);
        return null;
      }
      case "SHUTDOWN" -> {
        log.warn("SHUTDOWN requested by client {}", session.describe(daemon.clock().millis()));
        server.shutdownRequested();
        return null;
      }
      default -> {
        return unknownCommand(args);
      }
    }
  }

  private RespValue auth(List<String> args) {
    if (args.size() < 2 || args.size() > 3) {
      return arity("auth");
    }
    String pass = daemon.config().requirePass();
    if (pass == null) {
      return error("ERR AUTH <password> called without any password configured for the default"
          + " user. Are you sure your configuration is correct?");
    }
    String user = args.size() == 3 ? args.get(1) : "default";
    if (!user.equals("default") || !args.get(args.size() - 1).equals(pass)) {
      return error("WRONGPASS invalid username-password pair or user is disabled.");
    }
    session.authenticated = true;
    return Replies.OK;
  }

  private RespValue hello(List<String> args) {
    int proto = session.protocol;
    int i = 1;
    if (args.size() > 1) {
      try {
        proto = Integer.parseInt(args.get(1));
      } catch (NumberFormatException e) {
        return error("ERR Protocol version is not an integer or out of range");
      }
      if (proto < 2 || proto > 3) {
        return error("NOPROTO unsupported protocol version");
      }
      i = 2;
    }
    String setName = null;
    for (; i < args.size(); i++) {
      String opt = args.get(i).toUpperCase(Locale.ROOT);
      if (opt.equals("AUTH") && i + 2 < args.size()) {
        RespValue r = auth(List.of("AUTH", args.get(i + 1), args.get(i + 2)));
        if (r.isError()) {
          return r;
        }
        i += 2;
      } else if (opt.equals("SETNAME") && i + 1 < args.size()) {
        setName = args.get(++i);
      } else {
        return error("ERR Syntax error in HELLO option '" + args.get(i) + "'");
      }
    }
    if (!session.authenticated) {
      return error("NOAUTH HELLO must be called with the client already authenticated, otherwise"
          + " the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client"
          + " and select the RESP protocol version at the same time");
    }
    if (setName != null) {
      session.name = setName;
    }
    session.protocol = proto;
    return RespMap.ofPairs(
        bulk("server"), bulk("vigil"),
        bulk("version"), bulk(InfoSections.COMPAT_VERSION),
        bulk("proto"), RespInteger.of(proto),
        bulk("id"), RespInteger.of(session.id),
        bulk("mode"), bulk("sentinel"),
        bulk("modules"), RespArray.of());
  }

  private RespValue client(ChannelHandlerContext ctx, List<String> args) {
    if (args.size() < 2) {
      return arity("client");
    }
    String sub = args.get(1).toUpperCase(Locale.ROOT);
    long now = daemon.clock().millis();
    switch (sub) {
      case "SETNAME" -> {
        if (args.size() != 3) {
          return arity("client|setname");
        }
        if (args.get(2).chars().anyMatch(c -> c <= ' ' || c > '~')) {
          return error("ERR Client names cannot contain spaces, newlines or special characters.");
        }
        session.name = args.get(2).isEmpty() ? null : args.get(2);
        return Replies.OK;
      }
      case "GETNAME" -> {
        return session.name == null ? dev.vigil.resp3.value.RespNull.NULL : bulk(session.name);
      }
      case "SETINFO" -> {
        if (args.size() != 4) {
          return arity("client|setinfo");
        }
        String attr = args.get(2).toUpperCase(Locale.ROOT);
        if (attr.equals("LIB-NAME")) {
          session.libName = args.get(3);
        } else if (attr.equals("LIB-VER")) {
          session.libVersion = args.get(3);
        } else {
          return error("ERR Unrecognized option '" + args.get(2) + "'");
        }
        return Replies.OK;
      }
      case "ID" -> {
        return RespInteger.of(session.id);
      }
      case "INFO" -> {
        return bulk(session.describe(now) + "\n");
      }
      case "LIST" -> {
        StringBuilder sb = new StringBuilder();
        server.sessions().forEach(s -> sb.append(s.describe(now)).append('\n'));
        return bulk(sb.toString());
      }
      case "KILL" -> {
        return clientKill(args);
      }
      default -> {
        return error("ERR unknown subcommand '" + args.get(1) + "'. Try CLIENT HELP.");
      }
    }
  }

  private RespValue clientKill(List<String> args) {
    if (args.size() == 3) {
      for (ClientSession s : server.sessions()) {
        if (s.channel.remoteAddress() != null
            && s.channel.remoteAddress().toString().replaceFirst("^/", "").equals(args.get(2))) {
          s.channel.close();
          return Replies.OK;
        }
      }
      return error("ERR No such client");
    }
    if (args.size() < 4 || args.size() % 2 != 0) {
      return error("ERR syntax error");
    }
    long killed = 0;
    for (ClientSession s : server.sessions()) {
      boolean match = true;
      for (int i = 2; i < args.size(); i += 2) {
        String f = args.get(i).toUpperCase(Locale.ROOT);
        String v = args.get(i + 1);
        match &= switch (f) {
          case "ID" -> Long.toString(s.id).equals(v);
          case "ADDR" -> s.channel.remoteAddress() != null
              && s.channel.remoteAddress().toString().replaceFirst("^/", "").equals(v);
          case "TYPE" -> v.equalsIgnoreCase(s.subscriptions() > 0 ? "pubsub" : "normal");
          case "SKIPME" -> !(v.equalsIgnoreCase("yes") && s == session);
          case "USER" -> v.equals("default");
          default -> false;
        };
      }
      if (match) {
        s.channel.close();
        killed++;
      }
    }
    return RespInteger.of(killed);
  }

  private static final List<String> COMMANDS = List.of("auth", "client", "command", "hello",
      "info", "ping", "psubscribe", "publish", "punsubscribe", "role", "sentinel", "shutdown",
      "subscribe", "unsubscribe");

  private RespValue command(List<String> args) {
    String sub = args.size() > 1 ? args.get(1).toUpperCase(Locale.ROOT) : "";
    if (sub.equals("COUNT")) {
      return RespInteger.of(COMMANDS.size());
    }
    if (sub.equals("DOCS")) {
      return RespMap.ofPairs();
    }
    List<RespValue> out = new ArrayList<>();
    for (String c : COMMANDS) {
      out.add(RespArray.of(bulk(c), RespInteger.of(-1), RespArray.of(), RespInteger.of(0),
          RespInteger.of(0), RespInteger.of(0)));
    }
    return new RespArray(out);
  }

  private void confirm(ChannelHandlerContext ctx, String kind, String channel) {
    RespValue name = channel == null ? dev.vigil.resp3.value.RespNull.NULL : BulkString.of(channel);
    dev.vigil.resp3.value.Push p = dev.vigil.resp3.value.Push.of(bulk(kind), name,
        RespInteger.of(session.subscriptions()));
    reply(ctx, p);
  }

  private void reply(ChannelHandlerContext ctx, RespValue v) {
    ctx.writeAndFlush(Replies.forProtocol(v, session.protocol));
  }

  private static RespValue unknownCommand(List<String> args) {
    StringBuilder sb = new StringBuilder("ERR unknown command '").append(args.get(0))
        .append("', with args beginning with: ");
    for (String a : args.subList(1, Math.min(args.size(), 4))) {
      sb.append('\'').append(a.length() > 128 ? a.substring(0, 128) : a).append("' ");
    }
    return error(sb.toString().replace('\r', ' ').replace('\n', ' '));
  }

  private static RespValue arity(String command) {
    return error("ERR wrong number of arguments for '" + command + "' command");
  }

  /** The command's arguments, or null when the frame is not an array of strings. */
  private static List<String> arguments(RespValue msg) {
    if (!(msg instanceof RespArray a)) {
      return null;
    }
    List<String> args = new ArrayList<>(a.size());
    for (RespValue v : a.elements()) {
      if (!Resp.isText(v)) {
        return null;
      }
      args.add(Resp.text(v));
    }
    return args;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof RespProtocolException || cause.getCause() instanceof RespProtocolException) {
      Throwable p = cause instanceof RespProtocolException ? cause : cause.getCause();
      ctx.writeAndFlush(Replies.forProtocol(error("ERR Protocol error: "
          + ((RespProtocolException) p).reason()), session == null ? 2 : session.protocol))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      log.debug("client connection error: {}", cause.toString());
      ctx.close();
    }
  }
}
