package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.assertOneLineError;
import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.cli.JgradCommandTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class CommandLineErrorsTest {

  @Test
  void badTrainValuesAreOneLineUsageErrors() {
    assertOneLineError(run("train", "--epochs", "-1"), "--epochs");
    assertOneLineError(run("train", "--epochs", "two"), "--epochs");
    assertOneLineError(run("train", "--optimizer", "foo"), "foo");
    assertOneLineError(run("train", "--model", "resnet9"), "resnet9");
    assertOneLineError(run("train", "--data", "/no/such/path"), "/no/such/path");
    assertOneLineError(run("train", "--data", "pom.xml"), "CSV");
    assertOneLineError(run("train", "--batch-size", "0"), "--batch-size");
    assertOneLineError(run("train", "--lr", "-0.1"), "--lr");
    assertOneLineError(run("train", "--val-split", "1.5"), "--val-split");
    assertOneLineError(run("train", "--patience", "3", "--val-split", "0"), "--patience");
    assertOneLineError(run("train", "--bogus"), "--bogus");
  }

  @Test
  void badEvalPredictSummaryValuesAreOneLineUsageErrors() {
    assertOneLineError(run("eval", "--checkpoint", "/no/such/file.safetensors"), "/no/such/file.safetensors");
    assertOneLineError(run("eval"), "--checkpoint");
    assertOneLineError(run("predict", "--checkpoint", "/no/such/file", "/no/such/image.png"), "/no/such/image.png");
    assertOneLineError(run("summary", "nosuchnet"), "nosuchnet");
    assertOneLineError(run("summary", "mlp", "--input", "3by32"), "--input");
    assertOneLineError(run("summary"), "MODEL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "eval", "predict", "summary", "version", "examples"})
  void everySubcommandsHelpDescribesEveryOption(String name) {
    Result r = run(name, "--help");
    assertEquals(0, r.exitCode(), r.err());
    CommandSpec spec = JgradCommand.commandLine().getSubcommands().get(name).getCommandSpec();
    assertTrue(spec.usageMessage().description().length > 0, name + " has no description");
    for (OptionSpec o : spec.options()) {
      assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), name + " " + o.longestName() + " has no description");
      assertTrue(r.out().contains(o.longestName()), name + " help lacks " + o.longestName());
    }
  }

  @Test
  void trainHelpShowsTheDefaults() {
    String help = run("train", "--help").out();
    for (String d : List.of("Default: mlp", "Default: digits", "Default: 20", "Default: 32", "Default: adam", "Default: 42"))
      assertTrue(help.contains(d), "missing '" + d + "' in\n" + help);
  }

  @Test
  void topLevelHelpListsTheTrainingCommands() {
    String help = run("--help").out();
    for (String c : List.of("train", "eval", "predict", "summary")) assertTrue(help.contains(c), help);
  }
}
