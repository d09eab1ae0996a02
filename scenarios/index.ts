// The scenario runner's public face; the CLI imports scenarios only through this file.
export { findScenarioFiles, loadScenario, type LoadedScenario, type ScenarioLoad } from './load-scenario.ts';
export { junitXml, prettyResult, prettySummary } from './reporters.ts';
export { runScenarios, selectScenarios, type RunOptions, type ScenarioResult } from './run-scenarios.ts';
export type { Scenario, ScenarioStep } from './scenario-schema.ts';
export { AdminClient, AdminEventStream, type StreamEvent, type SubscribeOptions } from './admin-client.ts';
