/** What every API handler receives. */
import type { RunStore } from './run-store.js';
import type { WorkflowScript } from './script.js';
import type { SandboxClock } from './types.js';
import type { Reply } from './replies.js';

export interface ApiContext {
  scripts: ReadonlyMap<string, WorkflowScript>;
  store: RunStore;
  clock: SandboxClock;
  perPage: number;
  token: string;
  /** When the workflows were "created" (the sandbox's start). */
  startedAt: number;
}

export interface ApiRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
  /** e.g. http://127.0.0.1:8787, for absolute links. */
  origin: string;
}

export type Handler = (ctx: ApiContext, req: ApiRequest, params: Readonly<Record<string, string>>) => Reply;
