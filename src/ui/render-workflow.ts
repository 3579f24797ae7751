import type { Workflow, WorkflowNode } from '../api/types.js';
import { clean, localDateTime } from './format.js';
import type { Palette } from './palette.js';
import { renderTable } from './table.js';

function schedule(workflow: Workflow): string {
  const type = workflow.schedule_type ?? '';
  const value = workflow.schedule_value ?? '';
  const text = [type, value].filter((s) => s !== '').join(' ');
  return text === '' ? '-' : text;
}

function active(workflow: Workflow, palette: Palette): string {
  return workflow.is_active ? palette.success('yes') : palette.dim('no');
}

function nodeComponent(node: WorkflowNode): string {
  const id = node.data?.componentId;
  return typeof id === 'string' ? id : '';
}

function nodeLabel(node: WorkflowNode): string {
  const label = node.data?.label ?? node.data?.name;
  return typeof label === 'string' ? label : '';
}

/** `alto workflow list`: id, name, active, schedule in aligned columns. */
export function renderWorkflowList(workflows: readonly Workflow[], palette: Palette): string[] {
  const rows = workflows.map((w) => [clean(w.id), clean(w.name), active(w, palette), schedule(w)]);
  return renderTable(['ID', 'NAME', 'ACTIVE', 'SCHEDULE'], rows, palette);
}

/** `alto workflow get`: the workflow's fields, then its nodes and edges. */
export function renderWorkflow(workflow: Workflow, palette: Palette): string[] {
  const fields: Array<[string, string]> = [
    ['id', palette.id(workflow.id)],
    ['name', clean(workflow.name)],
  ];
  if (workflow.description) fields.push(['description', clean(workflow.description)]);
  fields.push(['active', active(workflow, palette)], ['schedule', schedule(workflow)]);
  if (workflow.next_run_at) fields.push(['next run', localDateTime(workflow.next_run_at)]);
  if (workflow.webhook_url) fields.push(['webhook', workflow.webhook_url]);
  if (workflow.created_at) fields.push(['created', localDateTime(workflow.created_at)]);
  if (workflow.updated_at) fields.push(['updated', localDateTime(workflow.updated_at)]);
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  const lines = fields.map(([label, value]) => `${palette.dim(label.padEnd(labelWidth))}  ${value}`);

  const nodes = workflow.nodes ?? [];
  lines.push('', palette.bold(`nodes (${nodes.length})`));
  if (nodes.length > 0) {
    const rows = nodes.map((n) => [n.id, n.type, nodeComponent(n), nodeLabel(n)]);
    lines.push(...renderTable(['ID', 'TYPE', 'COMPONENT', 'LABEL'], rows, palette).map((l) => `  ${l}`));
  }
  const edges = workflow.edges ?? [];
  lines.push('', palette.bold(`edges (${edges.length})`));
  for (const e of edges) {
    const handle = e.sourceHandle ? ` ${palette.dim(`[${e.sourceHandle}]`)}` : '';
    lines.push(`  ${e.source} → ${e.target}${handle}`);
  }
  return lines;
}
