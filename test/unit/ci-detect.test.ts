import { describe, expect, it } from 'vitest';
import { detectCiFormat } from '../../src/ci/detect.js';
import { UsageError } from '../../src/errors.js';

describe('detectCiFormat', () => {
  it('detects each runner from the variable it sets', () => {
    expect(detectCiFormat({ GITHUB_ACTIONS: 'true', CI: 'true' })).toBe('github');
    expect(detectCiFormat({ GITLAB_CI: 'true', CI: 'true' })).toBe('gitlab');
    expect(detectCiFormat({ BUILDKITE: 'true', CI: 'true' })).toBe('buildkite');
    expect(detectCiFormat({ TF_BUILD: 'True' })).toBe('azure');
    expect(detectCiFormat({ CI: 'true' })).toBe('plain');
    expect(detectCiFormat({ CI: 'woodpecker' })).toBe('plain');
  });

  it('is none outside CI, and for CI=false or CI=0 or a runner variable that is not "true"', () => {
    expect(detectCiFormat({})).toBe('none');
    expect(detectCiFormat({ CI: 'false' })).toBe('none');
    expect(detectCiFormat({ CI: '0' })).toBe('none');
    expect(detectCiFormat({ CI: '' })).toBe('none');
    expect(detectCiFormat({ GITHUB_ACTIONS: 'false' })).toBe('none');
  });

  it('takes the flag over ALTO_CI_FORMAT over detection; auto means detect', () => {
    const env = { GITHUB_ACTIONS: 'true', ALTO_CI_FORMAT: 'gitlab' };
    expect(detectCiFormat(env)).toBe('gitlab');
    expect(detectCiFormat(env, 'azure')).toBe('azure');
    expect(detectCiFormat(env, 'auto')).toBe('github');
    expect(detectCiFormat({ GITHUB_ACTIONS: 'true', ALTO_CI_FORMAT: 'auto' })).toBe('github');
    expect(detectCiFormat({ GITHUB_ACTIONS: 'true' }, 'plain')).toBe('plain');
    expect(detectCiFormat({}, 'GitHub')).toBe('github');
  });

  it('rejects a bad value with a UsageError naming its source and the choices', () => {
    expect(() => detectCiFormat({}, 'jenkins')).toThrow(UsageError);
    expect(() => detectCiFormat({}, 'jenkins')).toThrow(/--ci-format "jenkins"/);
    expect(() => detectCiFormat({ ALTO_CI_FORMAT: 'none' })).toThrow(/ALTO_CI_FORMAT "none"/);
    try {
      detectCiFormat({}, 'x\u001b[31m');
    } catch (e) {
      expect((e as UsageError).hint).toContain('auto, github, gitlab, buildkite, azure, plain');
      expect((e as Error).message).not.toContain('\u001b');
    }
  });
});
