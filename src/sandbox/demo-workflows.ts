/** The workflows `alto sandbox` serves when no --workflows file is given (2-4 s timelines). */
import type { ScenarioFile } from './types.js';

export const DEMO_SCENARIO: ScenarioFile = {
  workflows: [
    {
      id: 'fl_demo_onboarding',
      name: 'Customer Onboarding',
      description: 'Creates the account, sends a welcome email and tells the team.',
      start_after_ms: 300,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 300 },
        {
          node_id: 'n2',
          component_id: 'http_request',
          after_ms: 800,
          output: { status: 201, body: { account_id: 'acc_7f3k2q', plan: 'pro' } },
        },
        {
          node_id: 'n3',
          component_id: 'send_email',
          after_ms: 700,
          output: { template: 'welcome', message_id: 'msg_0c9d2e41', accepted: true },
        },
        { node_id: 'n4', component_id: 'slack_notify', after_ms: 600, output: { channel: '#onboarding', ok: true } },
      ],
      outcome: 'completed',
      end_after_ms: 300,
    },
    {
      id: 'fl_demo_failing',
      name: 'Nightly Backup',
      description: 'Exports router configurations and uploads them to storage.',
      start_after_ms: 300,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 300 },
        { node_id: 'n2', component_id: 'export_config', after_ms: 900, output: { devices: 12, bytes: 48213 } },
        {
          node_id: 'n3',
          component_id: 'webhook',
          after_ms: 1000,
          status: 'error',
          output: { status: 503, body: { message: 'Service Unavailable' } },
        },
      ],
      outcome: 'failed',
      error_message: 'Webhook request failed: 503 Service Unavailable',
      end_after_ms: 200,
      // The storage outage is transient: a rerun, or a resume from n2, completes.
      retry: {
        outcome: 'completed',
        error_message: null,
        steps: { n3: { status: 'success', output: { status: 200, body: { message: 'Stored' } } } },
      },
    },
    {
      id: 'fl_demo_step_error',
      name: 'Health Check (continue on error)',
      description: 'Pings every site; one probe fails but the workflow continues.',
      start_after_ms: 200,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 300 },
        { node_id: 'n2', component_id: 'ping_sites', after_ms: 700, output: { sites: 3, reachable: 3 } },
        {
          node_id: 'n3',
          component_id: 'http_check',
          after_ms: 800,
          status: 'error',
          output: { url: 'https://status.example.com/health', error: 'timed out after 5000 ms' },
        },
        { node_id: 'n4', component_id: 'slack_notify', after_ms: 500, output: { channel: '#noc', ok: true } },
      ],
      outcome: 'completed',
      end_after_ms: 200,
    },
    {
      id: 'fl_demo_approval',
      name: 'Change Approval',
      description: 'Prepares a configuration change and waits for a person to approve it.',
      start_after_ms: 200,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 300 },
        { node_id: 'n2', component_id: 'config_diff', after_ms: 800, output: { changes: 4, devices: ['rtr-01', 'rtr-02'] } },
        {
          node_id: 'n3',
          component_id: 'ui_approval',
          after_ms: 600,
          status: 'warning',
          output: { waiting_for: 'approval', message: 'Waiting for approval in the dashboard' },
        },
      ],
      outcome: 'awaiting_ui_interaction',
      end_after_ms: 200,
    },
  ],
};
