package dev.vigil.operator.reconcile;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression read in a time zone, as a Kubernetes CronJob reads it: cron-utils'
 * Unix definition, and the nicknames CronJob accepts (which that definition does not) spelled out
 * here. When it fires next, and when it last fired.
 */
final class CronSchedule {
  private static final Map<String, String> NICKNAMES = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private final ExecutionTime times;
  private final ZoneId zone;

  private CronSchedule(ExecutionTime times, ZoneId zone) {
    this.times = times;
    this.zone = zone;
  }

  /** @throws IllegalArgumentException naming what is wrong with the expression or the zone */
  static CronSchedule parse(String expression, String timeZone) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone " + timeZone);
    }
    Cron cron;
    try {
      String e = expression == null ? "" : expression.strip();
      cron = PARSER.parse(NICKNAMES.getOrDefault(e, e)).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + e.getMessage());
    }
    return new CronSchedule(ExecutionTime.forCron(cron), zone);
  }

  /** Whether {@code reason} is one {@link #parse} gave (so a fixed schedule clears it). */
  static boolean isProblem(String reason) {
    return reason != null && (reason.startsWith("invalid cron expression") || reason.startsWith("unknown time zone"));
  }

  /** The first time it fires strictly after {@code t}. */
  Optional<Instant> next(Instant t) {
    return times.nextExecution(t.atZone(zone)).map(z -> z.toInstant());
  }

  /** The last time it fired at or before {@code t}. */
  Optional<Instant> lastAtOrBefore(Instant t) {
    // lastExecution is strictly before its argument; one second later includes t itself (cron
    // times are whole minutes).
    return times.lastExecution(t.plusSeconds(1).atZone(zone)).map(z -> z.toInstant());
  }
}
