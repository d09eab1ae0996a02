// The simulator's narrow public face for starting one (`serve`): only what starting needs. An ES
// module barrel evaluates every module it re-exports, and index.ts also carries `check`, the
// OpenAPI document and the admin contract, which cost `serve` about 40 ms before it listened.
export { startSimulator, type StartOptions } from './start-simulator.ts';
export type { StartedSimulator } from './started-simulator.ts';
export { defineConfig, loadConfigFile, parseConfigText, type ConfigOverrides } from './config/load-config.ts';
export { configFromEnv } from './config/env-config.ts';
export { DEMO_CONFIG_YAML } from './config/demo-config.ts';
export { sshCryptoBindingLoaded } from './sftp/ssh-crypto-binding.ts';
export { eventLogLine, type LogFormat } from './logging/event-log-line.ts';
export { isLogged, LOG_LEVELS, type LogLevel } from './logging/event-log-level.ts';
