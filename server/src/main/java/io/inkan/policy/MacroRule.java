package io.inkan.policy;

import io.inkan.dataset.DataSetEntry;
import io.inkan.milter.MilterContext;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code MacroList} entry (opendkim.conf(5)): {@code name} alone matches when the MTA defines
 * the macro with any value; {@code name=v1|v2} when its value is one of those, compared with case.
 *
 * @param name the macro name without braces
 * @param values the accepted values; empty for any
 */
record MacroRule(String name, List<String> values) {
  MacroRule {
    values = List.copyOf(values);
  }

  static MacroRule of(DataSetEntry e) {
    String name = e.key().strip();
    if (name.length() > 2 && name.startsWith("{") && name.endsWith("}")) {
      name = name.substring(1, name.length() - 1);
    }
    List<String> values =
        e.value() == null || e.value().isBlank()
            ? List.of()
            : Arrays.stream(e.value().split("\\|")).map(String::strip).toList();
    return new MacroRule(name, values);
  }

  boolean matches(MilterContext ctx) {
    String v = ctx.macro(name);
    return v != null && (values.isEmpty() || values.contains(v));
  }
}
