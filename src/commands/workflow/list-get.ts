import { ExitCode } from '../../errors.js';
import { rememberWorkflowIds } from '../completion/remember.js';
import { renderWorkflow, renderWorkflowList } from '../../ui/render-workflow.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';

/** alto workflow list: a table, or the array with --json. */
export async function workflowList(ctx: Factory, opts: { json: boolean }): Promise<number> {
  const workflows = await (await ctx.client()).listWorkflows({ signal: ctx.deps.signal });
  await rememberWorkflowIds(ctx, workflows);
  const out = ctx.deps.io.stdout;
  if (opts.json) out.write(`${jsonText(workflows, { indent: 2 })}\n`);
  else if (workflows.length === 0) ctx.deps.io.stderr.write('no workflows\n');
  else out.write(`${renderWorkflowList(workflows, ctx.palette).join('\n')}\n`);
  return ExitCode.Ok;
}

/** alto workflow get: one workflow with its nodes and edges. */
export async function workflowGet(ctx: Factory, opts: { workflowId: string; json: boolean }): Promise<number> {
  const workflow = await (await ctx.client()).getWorkflow(opts.workflowId, { signal: ctx.deps.signal });
  const out = ctx.deps.io.stdout;
  if (opts.json) out.write(`${jsonText(workflow, { indent: 2 })}\n`);
  else out.write(`${renderWorkflow(workflow, ctx.palette).join('\n')}\n`);
  return ExitCode.Ok;
}
