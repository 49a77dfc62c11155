package dev.vigil.sentinel.config;

import dev.vigil.resp3.codec.InlineCommandSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One line of a sentinel.conf or state file, split as Valkey splits config lines. */
public record Directive(int line, List<String> args) {
  public Directive {
    args = List.copyOf(args);
  }

  /** The non-blank, non-comment lines of a file, numbered from 1. */
  public static List<Directive> parseAll(String source, List<String> lines) {
    List<Directive> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      try {
        out.add(new Directive(i + 1, InlineCommandSplitter.split(text)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(source + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** The directive's name, lower-cased: {@code port}, or {@code sentinel monitor}. */
  public String name() {
    String first = args.get(0).toLowerCase(Locale.ROOT);
    return first.equals("sentinel") && args.size() > 1
        ? "sentinel " + args.get(1).toLowerCase(Locale.ROOT)
        : first;
  }

  /** Argument {@code i} after the directive name. */
  public String arg(int i) {
    int base = args.get(0).equalsIgnoreCase("sentinel") ? 2 : 1;
    return args.get(base + i);
  }

  public int argCount() {
    int base = args.get(0).equalsIgnoreCase("sentinel") ? 2 : 1;
    return args.size() - base;
  }
}
