import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DEMO_SCENARIO, loadScenarioFile, startSandbox, validateScenario } from '../../src/sandbox/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('alto-sandbox-');
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const step = { node_id: 'n1', component_id: 'manual_trigger' };
const wf = (over: Record<string, unknown> = {}) => ({ id: 'fl_a', name: 'A', steps: [step], ...over });

function problem(data: unknown): string {
  try {
    validateScenario(data, 'flows.json');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('scenario files', () => {
  it('loads the documented examples, and the demo scenario is valid', async () => {
    const examples = await loadScenarioFile('examples/workflows.json');
    expect(examples.workflows.map((w) => w.id)).toEqual(['fl_provision_site', 'fl_flaky_upload', 'fl_bulk_sync']);
    expect(examples.faults).toHaveLength(1);
    expect((await loadScenarioFile('examples/benchmark-workflows.json')).workflows[0]?.steps[1]?.repeat).toBe(3000);
    expect((await loadScenarioFile('examples/flaky-network.json')).faults?.length).toBeGreaterThan(3);
    expect(validateScenario(DEMO_SCENARIO, 'demo').workflows).toHaveLength(4);
    const sb = await startSandbox({ scenarios: examples });
    expect(sb.workflows.map((w) => w.name)).toContain('Bulk Sync');
    await sb.close();
  });

  it('names the file when it cannot be read or is not JSON', async () => {
    await expect(loadScenarioFile(join(dir, 'missing.json'))).rejects.toThrow(/cannot read workflows file .*missing\.json: no such file/);
    const bad = write('bad.json', '{\n  "workflows": [\n    { "id": "fl_a", }\n  ]\n}\n');
    const err = await loadScenarioFile(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/bad\.json: not valid JSON at line 3, column \d+/);
  });

  it('reports invalid content with the file name and the field', async () => {
    const path = write('invalid.json', JSON.stringify({ workflows: [wf({ steps: [{ node_id: 'n1', component_id: 'x', status: 'ok' }] })] }));
    await expect(loadScenarioFile(path)).rejects.toThrow(
      `${path}: workflows[0].steps[0].status must be one of success, warning, error (got "ok")`,
    );
  });

  it.each([
    [[], 'the file must be an object'],
    [{}, '"workflows" must be a non-empty array'],
    [{ workflow: [] }, 'unknown field "workflow"'],
    [{ workflows: [wf({ id: 'my_flow' })] }, 'workflows[0].id must be "fl_" followed by'],
    [{ workflows: [wf({ id: 'fl_run_x' })] }, 'workflows[0].id must be "fl_"'],
    [{ workflows: [wf({ name: undefined })] }, 'workflows[0].name is required'],
    [{ workflows: [wf({ steps: [] })] }, 'workflows[0].steps must be a non-empty array'],
    [{ workflows: [wf({ steps: [{ component_id: 'x' }] })] }, 'workflows[0].steps[0].node_id is required'],
    [{ workflows: [wf({ steps: [{ node_id: 'a/b', component_id: 'x' }] })] }, 'node_id may hold only'],
    [{ workflows: [wf({ steps: [{ ...step, after: 5 }] })] }, 'workflows[0].steps[0] has an unknown field "after"'],
    [{ workflows: [wf({ steps: [{ ...step, after_ms: -1 }] })] }, 'after_ms must be an integer from 0'],
    [{ workflows: [wf({ steps: [{ ...step, repeat: 0 }] })] }, 'repeat must be an integer from 1'],
    [{ workflows: [wf({ steps: [{ ...step, output_bytes: '1kb' }] })] }, 'output_bytes must be an integer'],
    [{ workflows: [wf({ error_message: 5 })] }, 'error_message must be a string or null'],
    [{ workflows: [wf(), wf()] }, 'workflows[1].id "fl_a" is used twice'],
    [{ workflows: [wf({ retry: { steps: { n7: { status: 'success' } } } })] }, 'retry.steps.n7 names no step'],
    [{ workflows: [wf()], faults: [{ match: 'GET /x', kind: 'explode' }] }, 'faults[0].kind must be one of rate_limit'],
    [{ workflows: [wf()], faults: [{ match: 'GET /x', kind: 'reset', status: 502 }] }, 'faults[0].status does not apply to kind reset'],
  ])('rejects %j', (data, message) => {
    const text = problem(data);
    expect(text.startsWith('flows.json: ')).toBe(true);
    expect(text).toContain(message);
  });

  it('ignores $ and _ keys as comments', () => {
    const ok = validateScenario({ $comment: 'x', workflows: [wf({ _note: 'y', steps: [{ ...step, $why: 'z' }] })] }, 'f');
    expect(ok.workflows[0]?.id).toBe('fl_a');
  });
});
