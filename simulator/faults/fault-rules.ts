import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import {
  faultRuleSchema,
  type FaultAction,
  type FaultMatch,
  type FaultOperation,
  type FaultRule,
} from '../config/fault-rule-schema.ts';
import { pathMatcher } from '../config/path-matcher.ts';

/** One call that rules are matched against. */
export interface FaultCall {
  operation: FaultOperation;
  path?: string;
  account?: string;
}

/** A fault rule as listed: the rule, its ID and how often it fired. */
export interface FaultRuleView extends FaultRule {
  id: string;
  /** How many times the rule fired. */
  used: number;
}

interface StoredRule extends FaultRuleView {
  /** Calls that matched operation, path and account, counted for `nth`. */
  seen: number;
  matchesPath: ((path: string) => boolean) | undefined;
}

/**
 * Fault rules in front of normal behaviour, like msw handlers: the newest matching rule wins,
 * `times` uses it up, `unused()` names rules that never fired.
 */
export class FaultRules {
  readonly #rules: StoredRule[] = [];
  readonly #events: SimulatorEvents | undefined;
  #nextId = 1;

  constructor(events?: SimulatorEvents) {
    this.#events = events;
  }

  /** Validates and adds a rule; throws FAULT_INVALID listing every problem. */
  add(input: unknown): FaultRuleView {
    const parsed = faultRuleSchema.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'rule'}: ${issue.message}`)
        .join('; ');
      throw new DataSyncError('FAULT_INVALID', { problems });
    }
    return this.addRule(parsed.data);
  }

  /** Adds a rule already validated (from the configuration). */
  addRule(input: FaultRule): FaultRuleView {
    const rule: StoredRule = {
      ...structuredClone(input),
      id: `fault-${this.#nextId++}`,
      used: 0,
      seen: 0,
      matchesPath: input.match.path ? pathMatcher(input.match.path) : undefined,
    };
    this.#rules.push(rule);
    return view(rule);
  }

  list(): FaultRuleView[] {
    return this.#rules.map(view);
  }

  unused(): FaultRuleView[] {
    return this.#rules.filter((rule) => rule.used === 0).map(view);
  }

  remove(id: string): boolean {
    const index = this.#rules.findIndex((rule) => rule.id === id);
    if (index < 0) return false;
    this.#rules.splice(index, 1);
    return true;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /**
   * The action of the newest rule that matches this call and is not used up, counted as used.
   * `applies` narrows rules further (a disconnect fires only once its byte count is reached).
   */
  take(call: FaultCall, applies: (action: FaultAction) => boolean = () => true): FaultAction | undefined {
    for (let i = this.#rules.length - 1; i >= 0; i--) {
      const rule = this.#rules[i];
      if (!rule || (rule.times !== undefined && rule.used >= rule.times)) continue;
      if (!matchesCall(rule.match, rule.matchesPath, call) || !applies(rule.action)) continue;
      rule.seen++;
      if (rule.match.nth !== undefined && rule.seen !== rule.match.nth) continue;
      rule.used++;
      this.#events?.emit('fault:applied', { id: rule.id, ...call, action: rule.action });
      return rule.action;
    }
    return undefined;
  }
}

/** True when every field the match gives agrees with the call (nth is counted by the caller). */
export function matchesCall(
  match: FaultMatch,
  matchesPath: ((path: string) => boolean) | undefined,
  call: FaultCall,
): boolean {
  if (match.operation !== undefined && match.operation !== call.operation) return false;
  if (match.account !== undefined && match.account.toLowerCase() !== call.account?.toLowerCase())
    return false;
  if (matchesPath && (call.path === undefined || !matchesPath(call.path))) return false;
  return true;
}

function view(rule: StoredRule): FaultRuleView {
  const { id, match, action, times, used } = rule;
  return { id, match, action, ...(times !== undefined ? { times } : {}), used };
}
