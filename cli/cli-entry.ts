// The CLI's entry: bin/datasync-sim.js runs its compiled form, dist/cli/cli-entry.js.
import { main } from './main.ts';

await main(process.argv);
