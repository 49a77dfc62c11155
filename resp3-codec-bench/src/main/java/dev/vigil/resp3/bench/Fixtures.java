package dev.vigil.resp3.bench;

import dev.vigil.resp3.bench.Scenario.Input;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Builds each scenario's bytes, deterministically. */
final class Fixtures {
  private static final Tally NOTHING = new Tally(0, 0, 0, 0);

  private Fixtures() {}

  static Input lettuceOwn() {
    Wire w = new Wire().aggregate('*', 3).bulk("LLEN").bulk("mylist").simple("QUEUED");
    byte[] bytes = w.bytes();
    // RedisStateMachine swallows +QUEUED (compares it with a constant and reports nothing).
    Tally queued = new Wire().simple("QUEUED").tally(0);
    return new Input(bytes, w.tally(1), bytes, queued);
  }

  static Input pong1000() {
    Wire w = new Wire();
    for (int i = 0; i < 1000; i++) {
      w.simple("PONG");
    }
    return resp2(w, 1000);
  }

  /** What SENTINEL MASTERS returns for three masters: RESP3 maps, or RESP2 flat arrays. */
  static Input masters(boolean resp3) {
    Wire w = new Wire().aggregate('*', 3);
    for (int m = 0; m < 3; m++) {
      String[] fields = masterFields(m);
      w.aggregate(resp3 ? '%' : '*', resp3 ? fields.length / 2 : fields.length);
      for (String f : fields) {
        w.bulk(f);
      }
    }
    return resp3 ? new Input(w.bytes(), w.tally(1), null, NOTHING) : resp2(w, 1);
  }

  /**
   * Thirty real field names: the twenty every master reports, the three a master in trouble adds
   * (failover-state, s-down-time, o-down-time) and seven a replica entry reports.
   */
  private static String[] masterFields(int m) {
    return new String[] {
      "name", "master-" + m,
      "ip", "10.0.0." + (11 + m),
      "port", "6379",
      "runid", hex40(m),
      "flags", "master",
      "link-pending-commands", "0",
      "link-refcount", "1",
      "last-ping-sent", "0",
      "last-ok-ping-reply", Integer.toString(534 + m),
      "last-ping-reply", Integer.toString(534 + m),
      "down-after-milliseconds", "30000",
      "info-refresh", Integer.toString(5281 + 7 * m),
      "role-reported", "master",
      "role-reported-time", Integer.toString(2853218 + m),
      "config-epoch", Integer.toString(m),
      "num-slaves", "2",
      "num-other-sentinels", "2",
      "quorum", "2",
      "failover-timeout", "180000",
      "parallel-syncs", "1",
      "failover-state", "none",
      "s-down-time", "0",
      "o-down-time", "0",
      "master-link-down-time", "0",
      "master-link-status", "ok",
      "master-host", "10.0.0." + (11 + m),
      "master-port", "6379",
      "slave-priority", "100",
      "slave-repl-offset", Long.toString(1_234_567_890L + m),
      "replica-announced", "1",
    };
  }

  private static String hex40(int seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      sb.append(Character.forDigit(r.nextInt(16), 16));
    }
    return sb.toString();
  }

  /** INFO over RESP3 is a verbatim string; over RESP2 the same text is a bulk string. */
  static Input info4k() {
    byte[] text = infoText(4096);
    Wire w = new Wire().verbatim("txt", text);
    Wire twin = new Wire().bulk(text);
    return new Input(w.bytes(), w.tally(1), twin.bytes(), NOTHING);
  }

  private static byte[] infoText(int length) {
    String[] lines = {
      "# Server", "redis_version:7.2.4", "server_name:valkey", "valkey_version:8.0.2",
      "redis_mode:standalone", "os:Linux 6.1.0-28-amd64 x86_64", "arch_bits:64",
      "multiplexing_api:epoll", "process_id:1", "run_id:6f24caa796eb53afcf3b6a883ca02037892c812e",
      "tcp_port:6379", "uptime_in_seconds:1717", "hz:10", "executable:/usr/bin/valkey-server",
      "# Clients", "connected_clients:7", "blocked_clients:0", "maxclients:10000",
      "# Memory", "used_memory:1054848", "used_memory_human:1.01M", "used_memory_rss:12058624",
      "mem_fragmentation_ratio:11.52", "maxmemory_policy:noeviction",
      "# Replication", "role:master", "connected_slaves:2",
      "slave0:ip=10.0.0.12,port=6379,state=online,offset=1234567890,lag=0",
      "slave1:ip=10.0.0.13,port=6379,state=online,offset=1234567890,lag=1",
      "master_failover_state:no-failover", "master_replid:8d2a5b6f0c1e3a4b5c6d7e8f9a0b1c2d3e4f5a6b",
      "master_repl_offset:1234567890", "repl_backlog_active:1", "repl_backlog_size:1048576",
      "# Stats", "total_connections_received:2117", "total_commands_processed:8413391",
      "instantaneous_ops_per_sec:4133", "keyspace_hits:331", "keyspace_misses:12",
    };
    StringBuilder sb = new StringBuilder(length + 128);
    for (int i = 0; sb.length() < length; i++) {
      sb.append(lines[i % lines.length]).append("\r\n");
    }
    sb.setLength(length);
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** 100 pub/sub messages with a +OK after every tenth; RESP2 delivers them as arrays. */
  static Input push100() {
    Wire w = pushes('>');
    return new Input(w.bytes(), w.tally(110), pushes('*').bytes(), NOTHING);
  }

  private static Wire pushes(char type) {
    Wire w = new Wire();
    for (int i = 0; i < 100; i++) {
      w.aggregate(type, 3).bulk("message").bulk("channel1").bulk(String.format("payload-%024d", i));
      if (i % 10 == 9) {
        w.simple("OK");
      }
    }
    return w;
  }

  /** A 1 MiB bulk string of random bytes (CR and LF included: payloads are binary). */
  static Input bulk1m() {
    byte[] payload = new byte[1 << 20];
    new Random(1).nextBytes(payload);
    return resp2(new Wire().bulk(payload), 1);
  }

  private static Input resp2(Wire w, long replies) {
    byte[] bytes = w.bytes();
    return new Input(bytes, w.tally(replies), bytes, NOTHING);
  }
}
