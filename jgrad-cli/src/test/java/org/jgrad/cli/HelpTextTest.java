package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * Every command's {@code --help}, rendered at the widths a terminal commonly has, without the
 * glitches it once had: a default said twice ("default: none. Default: none"), a word broken at a
 * dot across lines ("last." / "safetensors", "x0." / "1"), an empty list shown as a default.
 */
class HelpTextTest {
  private static final Pattern TWICE = Pattern.compile("(?i)default: [^\\n]*\\n\\s+default:");

  private static final Pattern ENTRY = Pattern.compile("^(-|\\[|[a-z][a-z-]*\\s{2,})");

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }

  private static List<CommandLine> allCommands() {
    List<CommandLine> out = new ArrayList<>();
    CommandLine root = JgradCommand.commandLine();
    out.add(root);
    out.addAll(root.getSubcommands().values());
    return out;
  }

  @Test
  void helpTextsSayEachDefaultOnceAndBreakNoWordAtADot() {
    for (int width : new int[] {80, 100, 120, 160}) {
      for (CommandLine cmd : allCommands()) {
        cmd.setUsageHelpWidth(width);
        String usage = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String where = cmd.getCommandName() + " --help at width " + width + ":\n" + usage;
        assertFalse(TWICE.matcher(usage).find(), "a default said twice in " + where);
        assertFalse(usage.contains("Default: []"), "an empty default list in " + where);
        List<String> lines = usage.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
          String line = lines.get(i), raw = lines.get(i + 1), next = raw.strip();
          // a wrapped continuation, not the next command or option entry ("  eval        Evaluate ...")
          boolean continuation = !next.isEmpty() && indent(raw) >= indent(line) && !ENTRY.matcher(next).find();
          boolean brokenAtDot = line.matches(".*\\S\\.$") && continuation
              && (Character.isDigit(next.charAt(0)) || Character.isLowerCase(next.charAt(0)));
          assertFalse(brokenAtDot, "a word broken at a dot, lines " + (i + 1) + "-" + (i + 2) + " of " + where);
        }
        assertTrue(usage.contains("Usage: jgrad"), where);
      }
    }
  }
}
