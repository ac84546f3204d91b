package org.jgrad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The jgrad version, taken from the Maven project version at build time. */
public final class JgradVersion implements IVersionProvider {

  private static final String VERSION = load();

  /** E.g. {@code 0.2.0}; {@code unknown} if the build did not record it. */
  public static String version() {
    return VERSION;
  }

  /** What {@code jgrad --version} prints. */
  @Override
  public String[] getVersion() {
    return new String[] {"jgrad " + VERSION};
  }

  // version.properties is written by Maven resource filtering (src/main/filtered-resources).
  private static String load() {
    try (InputStream in = JgradVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties props = new Properties();
      props.load(in);
      String version = props.getProperty("version", "").strip();
      return version.isEmpty() || version.contains("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
