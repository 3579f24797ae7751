// The printed report: one line per figure, with its target and a PASS/FAIL mark.
import { cpus, platform, arch } from 'node:os';

const WIDTHS = [44, 38, 12];

/** A row: a measured figure, or the reason it could not be measured (mark "N/A"). */
export const row = (label, measured, target = '', mark = '') => ({ label, measured, target, mark });
export const heading = (text) => ({ heading: text });

/** PASS/FAIL for a number against a ceiling; N/A when there is no number. */
export const markAtMost = (value, limit) => (Number.isFinite(value) ? (value <= limit ? 'PASS' : 'FAIL') : 'N/A');

export const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(v < 100 ? 1 : 0)} ms` : 'n/a');

export function machineLine() {
  const c = cpus();
  const model = (c[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim();
  const date = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `${date} · node ${process.version} ${platform()}/${arch()} · ${c.length} cores (${model})`;
}

export function printReport(title, lines, rows, notes = []) {
  const out = [title, ...lines, ''];
  out.push(pad(['figure', 'measured', 'target']) + 'result');
  for (const r of rows) {
    if (r.heading) out.push(r.heading);
    else out.push(pad([`  ${r.label}`, r.measured, r.target]) + r.mark);
  }
  const marks = rows.filter((r) => !r.heading && r.mark);
  const count = (m) => marks.filter((r) => r.mark === m).length;
  if (notes.length > 0) out.push('', ...notes);
  out.push('', `${count('PASS')} PASS, ${count('FAIL')} FAIL, ${count('N/A')} not measured`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function pad(cells) {
  return cells.map((c, i) => {
    const text = String(c);
    return text.length >= WIDTHS[i] ? `${text} ` : text.padEnd(WIDTHS[i]);
  }).join('');
}
