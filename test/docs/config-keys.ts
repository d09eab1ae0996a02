import type { z } from 'zod';

/**
 * Every key path a zod object schema accepts, as `a.b` with `[]` for array elements
 * (`institutions[].collections[].id`; `.*` for a record's free keys), looking through defaults, optionals, pipes and unions.
 */
export function schemaKeyPaths(schema: z.ZodType, prefix = ''): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const inner = (key: string): z.ZodType => def[key] as z.ZodType;
  switch (def['type']) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
      return schemaKeyPaths(inner('innerType'), prefix);
    case 'pipe':
      return [...new Set([...schemaKeyPaths(inner('in'), prefix), ...schemaKeyPaths(inner('out'), prefix)])];
    case 'union':
      return [...new Set((def['options'] as z.ZodType[]).flatMap((o) => schemaKeyPaths(o, prefix)))];
    case 'record':
      return [`${prefix}.*`];
    case 'array':
      return schemaKeyPaths(inner('element'), `${prefix}[]`);
    case 'object':
      return Object.entries(def['shape'] as Record<string, z.ZodType>).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [path, ...schemaKeyPaths(value, path)];
      });
    default:
      return [];
  }
}
