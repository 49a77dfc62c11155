package dev.vigil.resp3.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A command as the client sends it: arguments written as bulk strings without building a value
 * tree first (the encoder's fast path). Arguments are {@code String}, {@code byte[]},
 * {@link io.netty.buffer.ByteBuf} or anything whose {@code toString()} is the argument.
 */
public record RespCommand(List<Object> args) {
  public RespCommand {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("a command has at least its name");
    }
    args = List.copyOf(args);
  }

  public static RespCommand of(Object... args) {
    return new RespCommand(Arrays.asList(args));
  }

  /** The command name, upper-cased (for logs and for matching replies to special commands). */
  public String name() {
    Object first = args.get(0);
    String s = first instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(first);
    return s.toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return name() + (args.size() > 1 ? " (+" + (args.size() - 1) + " args)" : "");
  }
}
