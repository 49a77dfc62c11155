package dev.vigil.backup.it;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test data made by the server itself, so loading tens of MB takes a second, not a minute. */
final class Datasets {
  private Datasets() {}

  /**
   * {@code n} groups of every key type (hash, list, set, sorted set, stream, string), a third of
   * the hashes and a seventh of the strings with expiries.
   */
  static void mixed(ValkeyServer s, int n) {
    slow(s, "EVAL", """
        local n = tonumber(ARGV[1])
        for i = 1, n do
          redis.call('HSET', 'h:' .. i, 'a', i, 'b', i * 2, 'c', 'x' .. i)
          redis.call('RPUSH', 'l:' .. i, 'a', 'b', i)
          redis.call('SADD', 's:' .. i, 'a', i)
          redis.call('ZADD', 'z:' .. i, i, 'm' .. i, i + 1, 'n')
          if i % 10 == 0 then redis.call('XADD', 'x:' .. i, '*', 'f', i) end
          if i % 3 == 0 then redis.call('PEXPIRE', 'h:' .. i, 36000000) end
          if i % 7 == 0 then redis.call('SET', 'e:' .. i, i, 'EX', 1000000) end
        end
        return n
        """, "0", Integer.toString(n));
  }

  /**
   * {@code keys} strings of {@code size} bytes (with {@code rdbcompression no}, about their size
   * in the RDB). DEBUG POPULATE is not replicated: on a master only.
   */
  static void bulk(ValkeyServer s, int keys, int size) {
    slow(s, "DEBUG", "POPULATE", Integer.toString(keys), "bulk", Integer.toString(size));
  }

  /** A command that may take seconds on a busy machine (the kit's default wait is 5 s). */
  private static Object slow(ValkeyServer s, String... args) {
    try (AdminConnection c = s.admin(120_000)) {
      return c.command(args);
    } catch (IOException e) {
      throw new UncheckedIOException(s + ": " + e.getMessage(), e);
    }
  }

  static String digest(ValkeyServer s) {
    return (String) slow(s, "DEBUG", "DIGEST");
  }
}
