import { z } from 'zod';
import { scenarioSchema } from './scenario-schema.ts';

/** The scenario language as JSON Schema (input shape: defaults are optional keys). */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'datasync-sim scenario',
    description: 'A QA scenario for datasync-sim: given a simulator, run steps, then check what happened.',
  };
}
