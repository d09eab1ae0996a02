// The CLI's entry for a compiled build (docker/Dockerfile bundles it with esbuild).
import { main } from './main.ts';

await main(process.argv);
