package dev.vigil.sentinel.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned text columns for humans. A row may be marked: it is printed red on a terminal and
 * flagged with "!" elsewhere, so disagreements stand out in a pipe too.
 */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<Boolean> marked = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(boolean mark, Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "-" : c.toString());
    }
    rows.add(r);
    marked.add(mark);
    return this;
  }

  String render(boolean colour) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width, "  ");
    for (int i = 0; i < rows.size(); i++) {
      boolean m = marked.get(i);
      if (m && colour) {
        sb.append("\u001b[31m");
      }
      line(sb, rows.get(i), width, m && !colour ? "! " : "  ");
      if (m && colour) {
        sb.insert(sb.length() - 1, "\u001b[0m");
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width, String lead) {
    StringBuilder l = new StringBuilder(lead);
    for (int i = 0; i < cells.size(); i++) {
      l.append(cells.get(i));
      if (i < cells.size() - 1) {
        l.append(" ".repeat(width[i] - cells.get(i).length() + 2));
      }
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  /** Colour only for a terminal, and never when NO_COLOR is set. */
  static boolean colour() {
    return System.console() != null && System.getenv("NO_COLOR") == null;
  }
}
