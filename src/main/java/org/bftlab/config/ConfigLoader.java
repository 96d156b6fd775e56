package org.bftlab.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads configuration files the way every command does: file, then defaults, then resolve. */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * {@code file} layered over the packaged {@code application.conf} and the libraries'
   * {@code reference.conf}, resolved after layering (so {@code ${bftlab.node-id}} in a default
   * sees the file's node id).
   *
   * @throws IllegalArgumentException when the file is missing or does not parse
   */
  public static Config load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file not found: " + file);
    }
    Config own = ConfigFactory.parseFile(file.toFile(),
        ConfigParseOptions.defaults().setAllowMissing(false));
    return ConfigFactory.systemProperties().withFallback(own).withFallback(defaults()).resolve();
  }

  /** JVM system properties ({@code -Dbftlab.…}) over the packaged defaults, unresolved. */
  public static Config defaults() {
    return ConfigFactory.systemProperties()
        .withFallback(ConfigFactory.parseResources("application.conf"))
        .withFallback(ConfigFactory.defaultReference());
  }
}
