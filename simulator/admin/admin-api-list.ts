interface Operation {
  summary?: string;
  parameters?: { in: string; name: string }[];
}

interface DocumentPaths {
  paths?: Record<string, Record<string, Operation> | undefined>;
}

/** The admin API reference's list (docs/admin-api.md), one line per operation, generated from the OpenAPI document. */
export function adminApiList(document: object): string {
  return Object.entries((document as DocumentPaths).paths ?? {})
    .flatMap(([path, item]) =>
      Object.entries(item ?? {}).map(([method, op]) => {
        const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => `${p.name}=`);
        const url = query.length > 0 ? `${path}[?${query.join('&')}]` : path;
        return `- \`${method.toUpperCase()} ${url}\`: ${op.summary ?? ''}`;
      }),
    )
    .join('\n');
}
