import { readFileSync, writeFileSync } from 'node:fs';
import { adminApiList } from './admin-api-list.ts';
import { buildOpenApiDocument } from './openapi-document.ts';

// `npm run docs:api`: rewrites the README's admin API list from the contract.
const readme = new URL('../../README.md', import.meta.url);
const text = readFileSync(readme, 'utf8');
const start = '<!-- admin-api:start -->\n';
const end = '\n<!-- admin-api:end -->';
const from = text.indexOf(start);
const to = text.indexOf(end, from);
if (from === -1 || to === -1) throw new Error('README.md lacks the admin-api markers');
const list = adminApiList(buildOpenApiDocument());
// Blank lines around the list, as prettier writes them.
writeFileSync(readme, `${text.slice(0, from + start.length)}\n${list}\n${text.slice(to)}`);
