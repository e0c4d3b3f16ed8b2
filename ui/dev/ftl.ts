// DEV/TEST ONLY: the ui-* labels of a Fluent file, as the Rust side hands them over. Those
// labels are one line each and are formatted without arguments, which leaves `{$name}` in place.
export function uiLabels(ftl: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of ftl.split(/\r?\n/)) {
    const m = /^(ui-[\w-]+)\s*=\s*(.*)$/.exec(line);
    if (m) labels[m[1]!] = m[2]!.replace(/\{\s*\$(\w+)\s*\}/g, '{$$$1}');
  }
  return labels;
}
