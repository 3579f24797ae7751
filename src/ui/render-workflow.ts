import { isSet, listOf, localDateTime, recordOf, text } from './format.js';
import type { Palette } from './palette.js';
import { renderTable } from './table.js';

function schedule(workflow: Record<string, unknown>): string {
  const parts = [text(workflow.schedule_type, '', 100), text(workflow.schedule_value, '', 200)].filter((s) => s !== '');
  return parts.length === 0 ? '-' : parts.join(' ');
}

function active(workflow: Record<string, unknown>, palette: Palette): string {
  return workflow.is_active === true ? palette.success('yes') : palette.dim('no');
}

/** `alto workflow list`: id, name, active, schedule in aligned columns. Any value in. */
export function renderWorkflowList(workflows: unknown, palette: Palette): string[] {
  const rows = listOf(workflows).map((item) => {
    const w = recordOf(item);
    return [text(w.id, '?', 200), text(w.name, '', 200), active(w, palette), schedule(w)];
  });
  return renderTable(['ID', 'NAME', 'ACTIVE', 'SCHEDULE'], rows, palette);
}

/** `alto workflow get`: the workflow's fields, then its nodes and edges. Any value in. */
export function renderWorkflow(workflow: unknown, palette: Palette): string[] {
  const w = recordOf(workflow);
  const fields: Array<[string, string]> = [
    ['id', palette.id(text(w.id, '?', 200))],
    ['name', text(w.name, '', 500)],
  ];
  if (isSet(w.description)) fields.push(['description', text(w.description, '', 4000)]);
  fields.push(['active', active(w, palette)], ['schedule', schedule(w)]);
  if (isSet(w.next_run_at)) fields.push(['next run', localDateTime(w.next_run_at)]);
  if (isSet(w.webhook_url)) fields.push(['webhook', text(w.webhook_url, '', 2000)]);
  if (isSet(w.created_at)) fields.push(['created', localDateTime(w.created_at)]);
  if (isSet(w.updated_at)) fields.push(['updated', localDateTime(w.updated_at)]);
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  const lines = fields.map(([label, value]) => `${palette.dim(label.padEnd(labelWidth))}  ${value}`);

  const nodes = listOf(w.nodes);
  lines.push('', palette.bold(`nodes (${nodes.length})`));
  if (nodes.length > 0) {
    const rows = nodes.map((item) => {
      const n = recordOf(item);
      const data = recordOf(n.data);
      const label = typeof data.label === 'string' ? data.label : data.name;
      return [text(n.id, '?', 200), text(n.type, '', 100), typeof data.componentId === 'string' ? text(data.componentId, '', 200) : '', typeof label === 'string' ? text(label, '', 500) : ''];
    });
    lines.push(...renderTable(['ID', 'TYPE', 'COMPONENT', 'LABEL'], rows, palette).map((l) => `  ${l}`));
  }
  const edges = listOf(w.edges);
  lines.push('', palette.bold(`edges (${edges.length})`));
  for (const item of edges) {
    const e = recordOf(item);
    const handleText = text(e.sourceHandle, '', 200);
    const handle = handleText ? ` ${palette.dim(`[${handleText}]`)}` : '';
    lines.push(`  ${text(e.source, '?', 200)} → ${text(e.target, '?', 200)}${handle}`);
  }
  return lines;
}
