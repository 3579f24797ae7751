import type { ScenarioFile } from '../../src/sandbox/index.js';

/** Fast workflows for end-to-end tests: each ends within a few hundred milliseconds. */
export const E2E_SCENARIOS: ScenarioFile = {
  workflows: [
    {
      id: 'fl_ok',
      name: 'Quick success',
      start_after_ms: 30,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 },
        { node_id: 'n2', component_id: 'webhook', after_ms: 30, output: { status: 200 } },
        { node_id: 'n3', component_id: 'delay', after_ms: 30, status: 'warning', output: { note: 'slow' } },
      ],
      outcome: 'completed',
      end_after_ms: 30,
    },
    {
      id: 'fl_fail',
      name: 'Quick failure',
      start_after_ms: 30,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 },
        { node_id: 'n2', component_id: 'webhook', after_ms: 30, status: 'error', output: { status: 503, body: { message: 'Service Unavailable' } } },
      ],
      outcome: 'failed',
      error_message: 'Webhook request failed: 503 Service Unavailable',
      end_after_ms: 30,
      retry: { outcome: 'completed', error_message: null, steps: { n2: { status: 'success', output: { status: 200 } } } },
    },
    {
      id: 'fl_step_error',
      name: 'Completes with a step error',
      start_after_ms: 30,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 },
        { node_id: 'n2', component_id: 'webhook', after_ms: 30, status: 'error', output: { status: 500 } },
        { node_id: 'n3', component_id: 'email', after_ms: 30 },
      ],
      outcome: 'completed',
      end_after_ms: 30,
    },
    {
      id: 'fl_slow',
      name: 'About three seconds',
      start_after_ms: 30,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 },
        { node_id: 'n2', component_id: 'delay', after_ms: 2800 },
      ],
      outcome: 'completed',
      end_after_ms: 30,
    },
    {
      id: 'fl_wait',
      name: 'Needs a person',
      start_after_ms: 30,
      steps: [{ node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 }],
      outcome: 'awaiting_ui_interaction',
      end_after_ms: 30,
    },
    {
      id: 'fl_forever',
      name: 'Never ends in time',
      start_after_ms: 30,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 },
        { node_id: 'n2', component_id: 'delay', after_ms: 3_600_000 },
      ],
      outcome: 'completed',
    },
    {
      id: 'fl_unknown',
      name: 'A status from the future',
      start_after_ms: 30,
      steps: [{ node_id: 'n1', component_id: 'manual_trigger', after_ms: 30 }],
      outcome: 'archived',
      end_after_ms: 30,
    },
  ],
};
