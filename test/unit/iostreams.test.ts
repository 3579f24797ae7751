import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDTH } from '../../src/ui/iostreams.js';
import { createTestIOStreams } from '../helpers/test-iostreams.js';

describe('IOStreams', () => {
  it('answers TTY questions per stream', () => {
    const { ios } = createTestIOStreams({ stdoutTTY: true, stderrTTY: false, stdinTTY: true });
    expect([ios.isStdoutTTY(), ios.isStderrTTY(), ios.isStdinTTY()]).toEqual([true, false, true]);
    expect(ios.canPrompt()).toBe(true);
    expect(createTestIOStreams().ios.canPrompt()).toBe(false);
  });

  it('colour follows the stream, NO_COLOR, FORCE_COLOR and --no-color', async () => {
    const tty = createTestIOStreams({ stdoutTTY: true, stderrTTY: false });
    expect([tty.ios.colorLevel('out'), tty.ios.colorLevel('err')]).toEqual([1, 0]);
    expect(createTestIOStreams({ stdoutTTY: true, env: { NO_COLOR: '1' } }).ios.colorLevel('out')).toBe(0);
    expect(createTestIOStreams({ env: { FORCE_COLOR: '3' } }).ios.colorLevel('out')).toBe(3);
    await tty.ios.loadPalettes();
    expect(tty.ios.palette.enabled).toBe(true);
    expect(tty.ios.errPalette.enabled).toBe(false);
    tty.ios.disableColor();
    expect(tty.ios.colorLevel('out')).toBe(0);
    expect(tty.ios.palette.enabled).toBe(false);
  });

  it('terminal width is the TTY columns, else the default', () => {
    expect(createTestIOStreams({ stdoutTTY: true, columns: 42 }).ios.terminalWidth()).toBe(42);
    expect(createTestIOStreams({ columns: 42 }).ios.terminalWidth()).toBe(DEFAULT_WIDTH);
  });

  it('a spinner draws only on a stderr TTY with columns, outside CI', () => {
    expect(createTestIOStreams({ stderrTTY: true }).ios.canSpinner()).toBe(true);
    expect(createTestIOStreams({ stderrTTY: true, env: { CI: 'true' } }).ios.canSpinner()).toBe(false);
    expect(createTestIOStreams({ stderrTTY: true, columns: 0 }).ios.canSpinner()).toBe(false);
    expect(createTestIOStreams({ stderrTTY: false }).ios.canSpinner()).toBe(false);
  });

  it('knows the CI kind and makes server text safe', () => {
    expect(createTestIOStreams({ env: { GITHUB_ACTIONS: 'true' } }).ios.ciKind()).toBe('github');
    expect(createTestIOStreams().ios.ciKind()).toBe('none');
    expect(createTestIOStreams().ios.safe('a\u001b[31mb')).toBe('a\ufffd[31mb');
  });
});
