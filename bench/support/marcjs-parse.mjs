/* global performance */
// The baseline for the processing benchmarks: marcjs's ISO 2709 stream parser on the same file,
// no checks and no writes. Prints {"seconds","records"} as its last line.
import { createReadStream } from 'node:fs';
import { Marc } from 'marcjs';

const start = performance.now();
const parser = Marc.createStream('Iso2709', 'Parser');
let records = 0;
parser.on('data', () => records++);
createReadStream(process.argv[2]).pipe(parser);
await new Promise((resolve) => parser.on('end', resolve));
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, records }));
