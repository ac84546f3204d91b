package org.jgrad.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks for option values, reported as usage errors (exit code 2). */
final class OptionChecks {
  private OptionChecks() {}

  static void positive(CommandSpec spec, String option, long value) {
    if (value < 1) throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
  }
}
