/** Decides, request by request, which fault rule (if any) misbehaves. */
import { splitMatch } from './endpoints.js';
import type { FaultRule } from './types.js';

interface RuleState {
  rule: FaultRule;
  method: string;
  path: RegExp;
  seen: number;
  fired: number;
}

export interface FaultInjector {
  /** The rule to apply to this request, counting it against each rule tried. */
  pick(method: string, path: string): FaultRule | undefined;
  /** Start counting again from zero. */
  reset(): void;
  readonly rules: readonly FaultRule[];
}

/** Turns a path glob into a regular expression: "*" is one segment (or part of one), "**" anything. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/\*\*|\*/g, (star) => (star === '**' ? '.*' : '[^/]*'));
  return new RegExp(`^${source}/?$`);
}

function compile(rule: FaultRule): RuleState {
  const { method, glob } = splitMatch(rule.match);
  return { rule, method, path: globToRegExp(glob), seen: 0, fired: 0 };
}

/** An injector over the rules, tried in order; the first that fires wins. */
export function createFaultInjector(rules: readonly FaultRule[]): FaultInjector {
  const states = rules.map(compile);
  return {
    rules,
    pick(method, path) {
      for (const state of states) {
        if ((state.method !== '*' && state.method !== method.toUpperCase()) || !state.path.test(path)) continue;
        state.seen += 1;
        const times = state.rule.times ?? 1;
        if (state.seen <= (state.rule.skip ?? 0)) continue;
        if (times !== -1 && state.fired >= times) continue;
        state.fired += 1;
        return state.rule;
      }
      return undefined;
    },
    reset() {
      for (const state of states) {
        state.seen = 0;
        state.fired = 0;
      }
    },
  };
}
