/** Shapes of the Altostrat Workflows API (../shared/api). Unknown fields are kept, never rejected. */

export type KnownRunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'awaiting_ui_interaction';
/** A status outside the enum may appear in future: it stays a string. */
export type RunStatus = KnownRunStatus | (string & {});
export type LogStatus = 'success' | 'error' | 'warning' | (string & {});

export interface WorkflowLog {
  id: string;
  node_id: string;
  component_id?: string | null;
  execution_id?: string;
  status: LogStatus;
  output?: unknown;
  created_at: string;
  [extra: string]: unknown;
}

export interface WorkflowRun {
  id: string;
  status: RunStatus;
  error_message?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  duration_in_seconds?: number | null;
  created_at?: string;
  trigger_payload?: Record<string, unknown>;
  workflow?: Workflow;
  logs?: WorkflowLog[];
  [extra: string]: unknown;
}

export interface WorkflowNode {
  id: string;
  type: string;
  position?: { x: number; y: number };
  data?: Record<string, unknown>;
}

export interface WorkflowEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
}

export interface Workflow {
  id: string;
  name: string;
  description?: string | null;
  is_active: boolean;
  schedule_type?: string | null;
  schedule_value?: string | null;
  next_run_at?: string | null;
  webhook_url?: string | null;
  created_at?: string;
  updated_at?: string;
  nodes?: WorkflowNode[];
  edges?: WorkflowEdge[];
  [extra: string]: unknown;
}

export interface PaginationMeta {
  current_page?: number;
  last_page?: number;
  per_page?: number;
  total?: number;
  from?: number | null;
  to?: number | null;
  path?: string;
}

export interface WorkflowRunPage {
  data: WorkflowRun[];
  links?: { first?: string | null; last?: string | null; prev?: string | null; next?: string | null };
  meta?: PaginationMeta;
}

export interface RunLaunchResponse {
  message?: string;
  original_run_id?: string;
  new_run: WorkflowRun;
}

/** The API's error body. Every field may be missing when a gateway answers instead. */
export interface ApiErrorBody {
  type?: string;
  code?: string;
  message?: string;
  doc_url?: string;
}

export const KNOWN_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'running',
  'completed',
  'failed',
  'awaiting_ui_interaction',
]);
