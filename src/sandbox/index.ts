/** The local emulator of the Workflows API behind `alto sandbox`. */
export { startSandbox, DEFAULT_PER_PAGE } from './server.js';
export { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_TOKEN } from './defaults.js';
export { loadScenarioFile, validateScenario } from './scenario.js';
export { parseFaultRule, formatFaultRule, FAULT_SYNTAX } from './faults.js';
export { DEMO_SCENARIO } from './demo-workflows.js';
export { FAULT_KINDS } from './types.js';
export type {
  FaultKind,
  FaultRule,
  RequestRecord,
  Sandbox,
  SandboxClock,
  SandboxOptions,
  SandboxRunInfo,
  ScenarioFile,
  ScenarioRetry,
  ScenarioStep,
  ScenarioWorkflow,
  StepStatus,
} from './types.js';
