import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, xmlEscape, type JunitRun } from '../../src/report/junit.js';

interface Parsed {
  testsuites: Record<string, string> & { testsuite: Array<Record<string, string> & { testcase: Array<Record<string, unknown>> }> };
}

/** Parses the report back with an independent reader; fails on XML that is not well-formed. */
function parse(xml: string): Parsed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    textNodeName: '#text',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml) as Parsed;
}

const log = (node: string, status: string, at: string, output: unknown = null, component: unknown = 'http') => ({
  id: `l_${node}`,
  node_id: node,
  component_id: component,
  status,
  output,
  created_at: at,
});

const failedRun = {
  id: 'fl_run_1',
  status: 'failed',
  error_message: 'send failed: 500',
  started_at: '2026-11-30T10:00:00.000000Z',
  completed_at: '2026-11-30T10:00:10.000000Z',
  duration_in_seconds: 10,
  logs: [
    log('trigger', 'success', '2026-11-30T10:00:01.500000Z', { ok: true }, 'webhook'),
    log('check', 'warning', '2026-11-30T10:00:03.000000Z', 'slow'),
    log('send', 'error', '2026-11-30T10:00:09.250000Z', { status: 500, body: '<html>&' }),
  ],
};

describe('JUnit report', () => {
  it('has one suite per run, one case per step plus the outcome, with times and failures', () => {
    const xml = renderJunit([{ run: failedRun, workflow: 'wf_deploy', label: 'eu', ending: 'failed' }]);
    const doc = parse(xml);
    const [suite] = doc.testsuites.testsuite;
    expect(doc.testsuites.tests).toBe('4');
    expect(doc.testsuites.failures).toBe('2');
    expect(suite?.name).toBe('wf_deploy [eu] fl_run_1');
    expect(suite?.tests).toBe('4');
    expect(suite?.failures).toBe('2');
    expect(suite?.errors).toBe('0');
    expect(suite?.time).toBe('10.000');
    const cases = suite?.testcase ?? [];
    expect(cases.map((c) => c.name)).toEqual(['trigger (webhook)', 'check (http)', 'send (http)', 'run outcome']);
    expect(cases.map((c) => c.time)).toEqual(['1.500', '1.500', '6.250', '10.000']);
    expect(cases.map((c) => c.classname)).toEqual(Array(4).fill('wf_deploy [eu] fl_run_1'));
    const send = cases[2]?.failure as Record<string, string>;
    expect(send.type).toBe('step_error');
    expect(send['#text']).toContain('"body": "<html>&"');
    expect(cases[1]?.['system-out']).toBe('slow');
    const outcome = cases[3]?.failure as Record<string, string>;
    expect(outcome.message).toBe('send failed: 500');
    expect(outcome['#text']).toContain('failing step: send');
  });

  it('a completed run passes; its error steps fail as steps, and the outcome too under strict', () => {
    const run = { ...failedRun, status: 'completed', error_message: null };
    const loose = parse(renderJunit([{ run }])).testsuites.testsuite[0];
    expect(loose?.failures).toBe('1');
    expect(loose?.testcase[3]).not.toHaveProperty('failure');
    const strict = parse(renderJunit([{ run }], { strict: true })).testsuites.testsuite[0];
    expect(strict?.failures).toBe('2');
    expect((strict?.testcase[3]?.failure as Record<string, string>).type).toBe('step_errors');
  });

  it('timeout, approval, lost contact and a still-running run are errors with their type', () => {
    const running = { id: 'r', status: 'running', logs: [] };
    const runs: JunitRun[] = [
      { run: running, ending: 'timeout' },
      { run: { id: 'a', status: 'awaiting_ui_interaction', logs: [] } },
      { run: running, ending: 'lost_contact' },
      { run: running },
      { run: { id: 'x', status: 'exploded' } },
    ];
    const doc = parse(renderJunit(runs));
    expect(doc.testsuites.errors).toBe('5');
    expect(doc.testsuites.failures).toBe('0');
    const types = doc.testsuites.testsuite.map((s) => (s.testcase[0]?.error as Record<string, string>).type);
    expect(types).toEqual(['timeout', 'awaiting_approval', 'lost_contact', 'incomplete', 'unknown_status']);
  });

  it('a fan-out line whose launch failed is an <error type="launch_failed"> carrying the launch error', () => {
    const doc = parse(renderJunit([{ run: { id: '' }, workflow: 'wf', label: 'site-b', ending: 'launch_failed', error: 'the API refused the request (422): <bad>' }]));
    const suite = doc.testsuites.testsuite[0]!;
    expect(suite.name).toBe('wf [site-b] (no run started)');
    expect(doc.testsuites.errors).toBe('1');
    const error = suite.testcase[0]?.error as Record<string, string>;
    expect(error.type).toBe('launch_failed');
    expect(error.message).toBe('could not start a run: the API refused the request (422): <bad>');
    expect(error['#text']).toContain('the API refused the request (422): <bad>');
    expect(JSON.stringify(doc)).not.toContain('does not know');
  });

  it('one suite per run in a fan-out, with case names unique per suite and suite names unique', () => {
    const twice = { ...failedRun, logs: [...failedRun.logs, log('send', 'error', '2026-11-30T10:00:09.900000Z', 'again'), log('run outcome', 'success', 'bad date', null, null)] };
    const doc = parse(renderJunit([{ run: twice, workflow: 'w' }, { run: { ...failedRun, id: 'fl_run_2' }, workflow: 'w' }]));
    expect(doc.testsuites.testsuite).toHaveLength(2);
    expect(doc.testsuites.tests).toBe('10');
    const names = doc.testsuites.testsuite[0]?.testcase.map((c) => c.name);
    expect(names).toEqual(['trigger (webhook)', 'check (http)', 'send (http)', 'send (http) #2', 'run outcome #2', 'run outcome']);
    expect(new Set(names).size).toBe(names?.length);
    expect(doc.testsuites.testsuite[0]?.testcase[4]?.time).toBe('0.000');
    expect(doc.testsuites.testsuite[0]?.name).not.toBe(doc.testsuites.testsuite[1]?.name);
  });

  it('drops what XML 1.0 forbids and escapes markup everywhere', () => {
    expect(xmlEscape('a\u0000b\u0001c\u001b[31md\ufffee\ud800f & <g> "h" \'i\'\tj\n')).toBe('abcdef &amp; &lt;g&gt; &quot;h&quot; &apos;i&apos;\tj\n');
    const evil = ']]></failure><injected/>\u0000\u0008\u000b\u001f\ud83d "\'&';
    const run = { id: evil, status: 'failed', error_message: evil, logs: [log(evil, 'error', 'x', evil, evil)] };
    const doc = parse(renderJunit([{ run, workflow: evil, label: evil }]));
    const suite = doc.testsuites.testsuite[0];
    expect(suite?.tests).toBe('2');
    expect(JSON.stringify(doc)).not.toContain('injected":');
    expect(suite?.testcase[0]?.name).toContain('</failure><injected/>');
  });

  it('never throws on values of the wrong type', () => {
    const weird: unknown[] = [null, undefined, 42, 'text', [], { logs: 'no' }, { logs: [null, 7, 'x', { node_id: {}, status: 5, created_at: 3 }] }, { id: {}, status: [], duration_in_seconds: 'NaN' }];
    const cyclic: Record<string, unknown> = { node_id: 'c', status: 'error' };
    cyclic.output = cyclic;
    weird.push({ id: 'c', status: 'failed', logs: [cyclic] });
    const doc = parse(renderJunit(weird.map((run) => ({ run }))));
    expect(doc.testsuites.testsuite).toHaveLength(weird.length);
  });

  it('cuts long outputs with a note and stops adding runs at the size cap', () => {
    const big = 'x'.repeat(100_000);
    const run = { ...failedRun, logs: [log('send', 'error', '2026-11-30T10:00:09Z', big)] };
    const one = renderJunit([{ run }], { maxOutputChars: 1000 });
    expect(one).toContain('[alto: output cut to 1000 of 100000 characters]');
    expect(one.length).toBeLessThan(5000);
    const many = Array.from({ length: 50 }, (_, i) => ({ run: { ...run, id: `r${i}` } }));
    const xml = renderJunit(many, { maxOutputChars: 10_000, maxChars: 50_000 });
    expect(xml.length).toBeLessThan(50_000 + 15_000);
    const doc = parse(xml);
    const last = doc.testsuites.testsuite.at(-1);
    expect(last?.name).toBe('alto');
    expect((last?.testcase[0]?.skipped as Record<string, string>).message).toMatch(/^\d+ more run\(s\) left out/);
    expect(Number(doc.testsuites.tests)).toBe(doc.testsuites.testsuite.reduce((n, s) => n + s.testcase.length, 0));
  });
});
