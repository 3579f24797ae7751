import type { ApiClient } from '../api/workflows-api.js';
import type { Deps } from '../deps.js';
import type { Palette } from '../ui/palette.js';

/** What every command's logic receives once the wiring has parsed the flags. */
export interface CommandContext {
  deps: Deps;
  /** Colours for stdout (results). */
  palette: Palette;
  /** Colours for stderr (progress and errors). */
  errPalette: Palette;
  /** True when a spinner may draw: stderr is a TTY with columns > 0 and CI is unset. */
  interactive: boolean;
  /** Builds the API client on first use (loads config and undici lazily). */
  client(): Promise<ApiClient>;
}

/** Output flags shared by commands that print a run or a list. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** --output ndjson (execute, watch, rerun, resume). */
  ndjson: boolean;
}

/** Watch flags of the contract, already parsed into milliseconds. */
export interface WatchOptions {
  timeoutMs: number;
  intervalMs: number;
  maxOutageMs: number;
  strict: boolean;
  verbose: boolean;
}
