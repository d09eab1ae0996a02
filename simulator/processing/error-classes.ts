/**
 * Records per error class, as the exception reports name them: the type, with the severity when
 * the type has one ("Validation Error (SEVERE)", "Data Error"). A record with two errors of one
 * class counts once for it.
 */
export function countErrorClasses(
  into: Record<string, number>,
  errors: readonly { type: string; severity: string }[],
): void {
  const classes = new Set(errors.map((e) => (e.severity ? `${e.type} (${e.severity})` : e.type)));
  for (const name of classes) into[name] = (into[name] ?? 0) + 1;
}
