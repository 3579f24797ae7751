/** Public types of the sandbox: the scenario file, fault rules, request records, options. */

/**
 * The scenario file (`alto sandbox --workflows FILE`). Times are in milliseconds.
 *
 * {
 *   "workflows": [{
 *     "id": "fl_my_flow",            // required; fl_ followed by letters, digits, _ or -
 *     "name": "My flow",             // required
 *     "description": null,           // optional
 *     "start_after_ms": 200,         // pending this long after the run is created (default 200)
 *     "steps": [{                    // required, at least one; logged in order
 *       "node_id": "n1",             // required; repeated steps become n1_1, n1_2, ...
 *       "component_id": "manual_trigger", // required
 *       "after_ms": 300,             // delay after the previous event (default 300)
 *       "status": "success",         // success | warning | error (default success)
 *       "output": {"ok": true},      // any JSON; a manual_trigger without one outputs
 *                                    //   {"trigger_type":"manual","context":<posted context>}; else {}
 *       "repeat": 1,                 // generator: log this step N times (default 1)
 *       "output_bytes": 1500         // generator: pad the output to about B bytes of JSON
 *     }],
 *     "outcome": "completed",        // completed | failed | awaiting_ui_interaction | any other string
 *     "error_message": null,         // for failed runs (default "Workflow run failed.")
 *     "end_after_ms": 200,           // delay after the last step before the outcome (default 200)
 *     "retry": {                     // optional: how reruns and resumed runs differ (a transient fault)
 *       "outcome": "completed", "error_message": null,
 *       "steps": {"n3": {"status": "success", "output": {"status": 200}}}
 *     }
 *   }],
 *   "faults": []                     // optional FaultRule objects, tried after the --fault ones
 * }
 * Keys starting with "$" or "_" are ignored (comments); any other unknown key is an error.
 */
export interface ScenarioFile {
  workflows: ScenarioWorkflow[];
  faults?: FaultRule[];
}

export type StepStatus = 'success' | 'warning' | 'error';

export interface ScenarioStep {
  node_id: string;
  component_id: string;
  after_ms?: number;
  status?: StepStatus;
  output?: unknown;
  repeat?: number;
  output_bytes?: number;
}

export interface ScenarioRetry {
  outcome?: string;
  error_message?: string | null;
  steps?: Record<string, { status?: StepStatus; output?: unknown }>;
}

export interface ScenarioWorkflow {
  id: string;
  name: string;
  description?: string | null;
  start_after_ms?: number;
  steps: ScenarioStep[];
  outcome?: string;
  error_message?: string | null;
  end_after_ms?: number;
  retry?: ScenarioRetry;
}

export const FAULT_KINDS = [
  'rate_limit',
  'http_error',
  'reset',
  'truncate',
  'slow',
  'hang',
  'reset_after_create',
  'empty_body',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * One way to misbehave. `match` is "METHOD /path/glob" ("*" = one segment, "**" = any),
 * a bare path glob (any method) or "*" (everything). Rules are tried in order; each rule
 * counts the requests it matches, lets `skip` of them through, then misbehaves `times` times.
 */
export interface FaultRule {
  match: string;
  kind: FaultKind;
  /** http_error: the status of the gateway's HTML answer (default 503). */
  status?: number;
  /** rate_limit: seconds sent as Retry-After (no header when unset, as the API documents none). */
  retry_after?: number;
  /** slow: answer normally after this long (default 2000). */
  delay_ms?: number;
  /** Let this many matching requests through first (default 0). */
  skip?: number;
  /** Misbehave for this many matching requests (default 1; -1 = forever). */
  times?: number;
}

/** One request the sandbox received (requests to /__sandbox/* are not recorded). */
export interface RequestRecord {
  method: string;
  /** The path with its query string, as received. */
  path: string;
  /** Lower-cased names; authorization kept as received. */
  headers: Record<string, string>;
  body: string;
  /** The status answered; null when the socket was reset or left hanging. */
  status: number | null;
  fault: FaultKind | null;
  /** True when `rateLimit` refused it (429 with Retry-After); such requests do not count in the window. */
  refused: boolean;
  /** clock.now() when the request arrived. */
  time: number;
  /** Milliseconds until the answer; null while unanswered. */
  duration_ms: number | null;
}

export interface SandboxClock {
  now(): number;
}

export interface SandboxOptions {
  /** 0 = a free port (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Bearer token to require; default DEFAULT_SANDBOX_TOKEN. */
  token?: string;
  /** Workflows to serve; default the built-in demo workflows. */
  scenarios?: ScenarioFile;
  /** Tried before the scenario file's own faults. */
  faults?: FaultRule[];
  /** Default: the wall clock. Tests inject a fake one. */
  clock?: SandboxClock;
  /** Requests per token per rolling minute; beyond it, 429 with Retry-After (default: no limit). */
  rateLimit?: number;
  /** Runs per page of /executions (default 15). */
  perPage?: number;
  /** Called once per request, when it has been answered (or reset, or left hanging). */
  onRequest?: (record: RequestRecord) => void;
}

export type RunOrigin = 'execute' | 'rerun' | 'resume';

/** What the sandbox knows about one run, for tests and GET /__sandbox/runs. */
export interface SandboxRunInfo {
  id: string;
  workflow_id: string;
  status: string;
  origin: RunOrigin;
  original_run_id: string | null;
  resumed_from_node: string | null;
  idempotency_key: string | null;
  context: Record<string, unknown>;
  created_at: string;
  log_count: number;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:43123 */
  url: string;
  port: number;
  token: string;
  workflows: ReadonlyArray<{ id: string; name: string }>;
  /** Every API request received, in arrival order (live array). */
  requests: RequestRecord[];
  /** A snapshot of every run, oldest first, with its status at clock.now(). */
  readonly runs: SandboxRunInfo[];
  /** How many runs were created (of one workflow, when given). */
  runsCreated(workflowId?: string): number;
  /** Forget requests, runs, idempotency keys, fault counters and rate windows. */
  reset(): void;
  /** Stops listening and destroys every open or hanging socket. */
  close(): Promise<void>;
}
