/**
 * `alto wf execute <wf> --each FILE|-`: one run per context. The input is read bounded (10 MiB
 * while reading) and every line is checked, with the -f/-F fields merged over it and its
 * Idempotency-Key derived, before anything is sent; then the fan-out engine runs them all.
 */
import { formatBytes, readFileBounded, readStreamBounded, TooLargeError } from '../../config/read-file.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { type EachItem, MAX_EACH_BYTES, type ParsedField, parseEachInput } from '../../input/each-input.js';
import type { FanoutItem } from '../../fanout/engine.js';
import { eachIdempotencyKey } from '../../fanout/keys.js';
import type { EachFlags } from '../shared/fanout-flags.js';
import { runFanoutCommand } from '../shared/fanout-run.js';
import { parseWatchFlags } from '../shared/watch-flags.js';
import { type FieldStdin, parseField } from '../../input/context-input.js';
import type { ExecuteOptions } from './execute-run.js';
import { fsReason } from '../../util/fs-reason.js';

const LIMIT = formatBytes(MAX_EACH_BYTES);


/** The --each text: a file, or stdin; more than 10 MiB stops the read at that point. */
async function readEachSource(f: Factory, source: string): Promise<string> {
  if (source === '-') {
    if (f.io.isStdinTTY()) throw new UsageError('--each - reads stdin, but stdin is a terminal', 'pipe the contexts in: alto wf execute ID --each - < contexts.ndjson');
    try {
      return await readStreamBounded(f.io.in, MAX_EACH_BYTES, f.deps.signal);
    } catch (err) {
      if (err instanceof TooLargeError) throw new UsageError(`the contexts on stdin are larger than ${LIMIT}, the limit of --each`, 'split the contexts over several runs of alto');
      throw err;
    }
  }
  try {
    return readFileBounded(source, { maxBytes: MAX_EACH_BYTES });
  } catch (err) {
    if (err instanceof TooLargeError) throw new UsageError(`${source} is larger than ${LIMIT}, the limit of --each`, 'split the contexts over several runs of alto');
    throw new UsageError(`cannot read --each file ${source}: ${fsReason(err)}`);
  }
}

/** Every line checked and keyed; throws the first problem as a UsageError (nothing sent). */
export async function eachItems(f: Factory, opts: ExecuteOptions & { each: EachFlags }): Promise<FanoutItem[]> {
  const text = await readEachSource(f, opts.each.source);
  const fieldStdin: FieldStdin = { state: opts.each.source === '-' ? 'used' : 'unused', source: f.io, signal: f.deps.signal };
  const fields: ParsedField[] = [];
  for (const field of opts.input.fields) fields.push({ ...(await parseField(field, fieldStdin)), raw: field.raw });
  const items: EachItem[] = parseEachInput(text, { source: opts.each.source, fields, labelKey: opts.each.labelKey });
  const keyed: FanoutItem[] = [];
  for (const item of items) {
    keyed.push({ index: item.index, label: item.label, context: item.context, key: await eachIdempotencyKey(opts.idempotencyKey, item.line, item.context) });
  }
  return keyed;
}

/** Runs the fan-out; the exit code is the most severe of its runs'. */
export async function workflowExecuteEach(f: Factory, opts: ExecuteOptions & { each: EachFlags }): Promise<number> {
  const items = await eachItems(f, opts);
  if (opts.dryRun) {
    // Every request the fan-out would send, in order, each with its line's context and key.
    const { dryRun } = await import('../shared/dry-run.js');
    const path = `/workflows/${encodeURIComponent(opts.workflowId)}/execute`;
    return dryRun(f, items.map((item) => ({ method: 'POST', path, body: { context: item.context }, headers: { 'idempotency-key': item.key } }) as const), opts.output);
  }
  // The parse always gives watch options with --each; a caller that did not still watches with the defaults.
  const watch = opts.watch ?? parseWatchFlags({ timeout: '65m', interval: '2s', maxOutage: '5m' });
  return runFanoutCommand(
    f,
    { kind: 'launch', workflowId: opts.workflowId, items },
    { concurrency: opts.each.concurrency, failFast: opts.each.failFast, rate: opts.each.rate, intervalMs: opts.each.intervalMs, watch, output: opts.output },
  );
}
