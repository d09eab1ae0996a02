import { z } from 'zod';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main.ts';
import { scenarioJsonSchema } from '../../scenarios/scenario-json-schema.ts';
import { adminApiList } from '../../simulator/admin/admin-api-list.ts';
import { buildOpenApiDocument } from '../../simulator/admin/openapi-document.ts';
import { configSchema } from '../../simulator/config/config-schema.ts';

/**
 * The parts of docs/ generated from the code, each between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->` in its page. `npm run docs` writes them; test/docs/reference-docs.test.ts
 * fails when one is stale.
 */
export interface GeneratedRegion {
  page: string;
  name: string;
  generate: () => string;
}

export const GENERATED_REGIONS: readonly GeneratedRegion[] = [
  { page: 'docs/configuration.md', name: 'config-keys', generate: configKeysTable },
  { page: 'docs/cli.md', name: 'cli-help', generate: cliHelp },
  { page: 'docs/admin-api.md', name: 'admin-api', generate: () => adminApiList(buildOpenApiDocument()) },
  { page: 'docs/scenarios.md', name: 'scenario-language', generate: scenarioLanguage },
];

/** The page's text with the region replaced by `body` (blank lines around it, as prettier keeps them). */
export function withRegion(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1) throw new Error(`the page lacks the ${start} and ${end} markers`);
  return `${text.slice(0, from + start.length)}\n\n${body.trim()}\n\n${text.slice(to)}`;
}

export function regionOf(text: string, name: string): string | undefined {
  const start = `<!-- ${name}:start -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(`<!-- ${name}:end -->`, from);
  return from === -1 || to === -1 ? undefined : text.slice(from + start.length, to).trim();
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  required?: string[];
};

interface KeyRow {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
}

/** One row per key a JSON Schema object accepts, depth first, `[]` for array elements. */
export function keyRows(schema: JsonSchema, prefix = ''): KeyRow[] {
  const variants = (schema.anyOf ?? []).filter((o) => o.properties);
  if (variants.length > 1) {
    // One of several object forms (a fault's action): every form's keys, none required alone.
    const rows = variants.flatMap((v) => keyRows(v, prefix)).map((r) => ({ ...r, required: false }));
    return rows.filter((r, i) => rows.findIndex((o) => o.path === r.path) === i);
  }
  const object = objectOf(schema);
  if (!object?.properties) return [];
  return Object.entries(object.properties).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const row: KeyRow = {
      path,
      type: typeName(value),
      required: object.required?.includes(key) ?? false,
      default: value.default,
    };
    const element = value.items ?? value.anyOf?.find((o) => o.items)?.items;
    const nested = element ? keyRows(element, `${path}[]`) : keyRows(value, path);
    const free = objectOf(value)?.additionalProperties;
    const keyed = typeof free === 'object' && free.properties ? keyRows(free, `${path}.<key>`) : [];
    return [row, ...nested, ...keyed];
  });
}

function objectOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties || typeof schema.additionalProperties === 'object') return schema;
  return schema.anyOf?.find((o) => o.properties);
}

function typeName(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) {
    const forms = [...new Set(schema.anyOf.map(typeName))];
    return forms.every((f) => f === 'object') ? 'object (one of the forms below)' : forms.join(' \\| ');
  }
  if (schema.type === 'array') {
    const element = schema.items ? typeName(schema.items) : 'any';
    return element.includes('|') ? `(${element})[]` : `${element}[]`;
  }
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object' && !schema.properties)
    return `{ key: ${typeName(schema.additionalProperties)} }`;
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  return schema.type ?? 'any';
}

function table(rows: readonly KeyRow[]): string {
  const cell = (v: unknown): string => (v === undefined ? '' : `\`${JSON.stringify(v)}\``);
  return [
    '| key | type | required | default |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${cell(r.default)} |`),
  ].join('\n');
}

/** Every configuration key with its type and default, from the zod schema `serve` validates with. */
export function configKeysTable(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return table(keyRows(schema).filter((r) => !r.path.startsWith('faults[].')));
}

/** `--help` of every command, as commander prints it at 100 columns. */
export function cliHelp(): string {
  const sections: string[] = [];
  const visit = (command: Command, name: string): void => {
    let text = '';
    command.configureHelp({ helpWidth: 100 });
    command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    command.outputHelp();
    sections.push(`### \`${name}\`\n\n\`\`\`text\n${text.trimEnd()}\n\`\`\``);
    for (const sub of command.commands) if (sub.name() !== 'help') visit(sub, `${name} ${sub.name()}`);
  };
  visit(buildProgram(), 'datasync-sim');
  return sections.join('\n\n');
}

/** The steps and expectations of the scenario language, from its JSON Schema. */
export function scenarioLanguage(): string {
  const schema = scenarioJsonSchema() as JsonSchema;
  const props = schema.properties ?? {};
  const top = keyRows({
    ...schema,
    properties: { name: props['name'] ?? {}, tags: props['tags'] ?? {}, given: props['given'] ?? {} },
  });
  const steps = (props['steps']?.items?.anyOf ?? []).map((step) => {
    const [name = '', body = {}] = Object.entries(step.properties ?? {})[0] ?? [];
    const rows = keyRows(body);
    const shape = rows.length > 0 ? `\n\n${table(rows)}` : ` Its value: ${typeName(body)}.`;
    return `#### \`${name}\`${shape.startsWith('\n') ? shape : `\n\n${shape.trim()}`}`;
  });
  return [
    '### File',
    table(top),
    '### Steps',
    'Each step is a one-key object; the key names the step.',
    ...steps,
    '### Expectations (`expect`)',
    table(keyRows(props['expect'] ?? {})),
  ].join('\n\n');
}
