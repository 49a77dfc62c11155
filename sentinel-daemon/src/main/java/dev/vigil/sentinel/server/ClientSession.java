package dev.vigil.sentinel.server;

import io.netty.channel.Channel;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** One client connection to the daemon's port: its protocol, identity and subscriptions. */
final class ClientSession {
  private static final AtomicLong IDS = new AtomicLong();

  final long id = IDS.incrementAndGet();
  final Channel channel;
  final long createdAt;
  int protocol = 2;
  boolean authenticated;
  String name;
  String libName;
  String libVersion;
  String lastCommand = "NULL";
  final Set<String> channels = new LinkedHashSet<>();
  final Set<String> patterns = new LinkedHashSet<>();

  ClientSession(Channel channel, boolean authenticated, long now) {
    this.channel = channel;
    this.authenticated = authenticated;
    this.createdAt = now;
  }

  int subscriptions() {
    return channels.size() + patterns.size();
  }

  /** CLIENT LIST / CLIENT INFO line, in Valkey's format (the fields clients and tools read). */
  String describe(long now) {
    String addr = channel.remoteAddress() == null ? "?" : channel.remoteAddress().toString()
        .replaceFirst("^/", "");
    String laddr = channel.localAddress() == null ? "?" : channel.localAddress().toString()
        .replaceFirst("^/", "");
    return "id=" + id + " addr=" + addr + " laddr=" + laddr + " fd=-1 name="
        + (name == null ? "" : name) + " age=" + (now - createdAt) / 1000 + " idle=0 flags="
        + (subscriptions() > 0 ? "P" : "N") + " db=0 sub=" + channels.size() + " psub="
        + patterns.size() + " ssub=0 multi=-1 watch=0 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0"
        + " rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + lastCommand.toLowerCase()
        + " user=default redir=-1 resp=" + protocol + " lib-name=" + (libName == null ? "" : libName)
        + " lib-ver=" + (libVersion == null ? "" : libVersion);
  }
}
