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

  /** The command's own texts, unwrapped: its description and those of its options and parameters. */
  private static String sourceText(CommandLine cmd) {
    var spec = cmd.getCommandSpec();
    StringBuilder b = new StringBuilder(String.join(" ", spec.usageMessage().description()));
    for (var o : spec.options()) b.append(' ').append(String.join(" ", o.description()));
    for (var p : spec.positionalParameters()) b.append(' ').append(String.join(" ", p.description()));
    for (var sub : cmd.getSubcommands().values())
      b.append(' ').append(String.join(" ", sub.getCommandSpec().usageMessage().description()));
    return b.toString();
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
        String source = sourceText(cmd);
        List<String> lines = usage.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
          String line = lines.get(i).strip(), next = lines.get(i + 1).strip();
          if (!line.endsWith(".") || line.length() < 2 || next.isEmpty()) continue;
          // a wrap inside one word of the source text ("last." + "safetensors" is "last.safetensors")
          String joined = line.substring(line.lastIndexOf(' ') + 1) + next.split(" ")[0];
          assertFalse(joined.length() > 2 && source.contains(joined),
              "'" + joined + "' broken at its dot, lines " + (i + 1) + "-" + (i + 2) + " of " + where);
        }
        assertTrue(usage.contains("Usage: jgrad"), where);
      }
    }
  }
}
