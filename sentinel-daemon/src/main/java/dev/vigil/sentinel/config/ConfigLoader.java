package dev.vigil.sentinel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import dev.vigil.sentinel.state.DaemonState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a daemon configuration from a HOCON file or a sentinel.conf (told apart by syntax), with
 * environment overrides, and the state to start from.
 *
 * <p>In HOCON mode the file is the authority for the monitored groups and is never rewritten;
 * state lives in a separate state file. In sentinel.conf mode, as with Valkey Sentinel, state
 * and run-time changes are written back into the sentinel.conf, keeping its other lines.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static LoadedConfig load(Path file) {
    return load(file, System.getenv());
  }

  public static LoadedConfig load(Path file, Map<String, String> env) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
    try {
      if (SentinelConf.looksLikeSentinelConf(lines)) {
        return SentinelConf.load(file, lines, reference, env);
      }
      return loadHocon(file, String.join("\n", lines), reference, env);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("invalid configuration in " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
  }

  private static LoadedConfig loadHocon(Path file, String text, Config reference,
      Map<String, String> env) {
    Config parsed = ConfigFactory.parseString(text,
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription(file.toString()));
    Config root = EnvOverrides.from(env).withFallback(parsed).withFallback(reference).resolve();
    List<MasterSpec> masters = HoconSettings.masters(root);
    Path dir = file.toAbsolutePath().getParent();
    Path stateFile = dir.resolve(root.getString("vigil.state-file"));
    DaemonConfig config = HoconSettings.read(root, stateFile, DaemonConfig.Format.HOCON, masters);
    List<String> warnings = new ArrayList<>();
    Map<String, Address> groups = new LinkedHashMap<>();
    masters.forEach(m -> groups.put(m.name(), m.address()));
    List<Directive> directives = readStateDirectives(stateFile);
    DaemonState state = StateLines.read(stateFile.toString(), directives, groups, warnings);
    return new LoadedConfig(config, state, warnings, !StateLines.hasIdentity(directives));
  }

  private static List<Directive> readStateDirectives(Path stateFile) {
    if (!Files.exists(stateFile)) {
      return List.of();
    }
    try {
      List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
      List<Directive> directives = Directive.parseAll(stateFile.toString(), lines);
      for (Directive d : directives) {
        if (!StateLines.NAMES.contains(d.name())) {
          throw new ConfigException("state file " + stateFile + ":" + d.line()
              + " is corrupt: unexpected '" + d.name() + "'; move it away to start fresh");
        }
      }
      return directives;
    } catch (IOException e) {
      throw new ConfigException("cannot read state file " + stateFile + ": " + e.getMessage(), e);
    }
  }

}
