import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../src/input/idempotency.js';
import { canonicalJson, eachIdempotencyKey } from '../../src/fanout/keys.js';
import { mostSevere } from '../../src/fanout/severity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('fan-out idempotency keys', () => {
  it('derive from K, the line and the context: stable, order-insensitive, and different when any of them changes', async () => {
    const k = await eachIdempotencyKey('ci-job-77', 3, { b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } });
    expect(k).toMatch(UUID);
    expect(await eachIdempotencyKey('ci-job-77', 3, { a: { x: [1, { p: 2, q: 1 }], y: 2 }, b: 1 })).toBe(k);
    expect(await eachIdempotencyKey('ci-job-78', 3, { b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } })).not.toBe(k);
    expect(await eachIdempotencyKey('ci-job-77', 4, { b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } })).not.toBe(k);
    expect(await eachIdempotencyKey('ci-job-77', 3, { b: 2, a: { y: 2, x: [1, { q: 1, p: 2 }] } })).not.toBe(k);
  });

  it('is the v5 UUID (alto namespace, as execute uses) of K, line and the context hash', async () => {
    const hash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'; // sha256 of {}
    const ns = '6f0c7c5e-2a55-5d0e-9b7c-a1705d5a0b1e';
    expect(await eachIdempotencyKey('K', 1, {})).toBe(await uuidV5(`K\n1\n${hash}`, ns));
    expect(canonicalJson({ b: [3, null], a: 'x' })).toBe('{"a":"x","b":[3,null]}');
  });

  it('are random per line without K', async () => {
    let n = 0;
    const random = () => `r${(n += 1)}`;
    expect([await eachIdempotencyKey(undefined, 1, {}, random), await eachIdempotencyKey(undefined, 1, {}, random)]).toEqual(['r1', 'r2']);
  });
});

describe('fan-out severity', () => {
  it.each([
    [[0, 6, 124, 1, 4, 5, 3, 70], 70],
    [[0, 6, 124, 1, 4, 5, 3], 3],
    [[0, 6, 124, 1, 4, 5], 5],
    [[0, 6, 124, 1, 4], 4],
    [[0, 6, 124, 1], 1],
    [[0, 6, 124], 124],
    [[0, 6], 6],
    [[0, 0], 0],
    [[], 0],
    [[1, 0, 124, 1], 1],
    [[6, 124], 124],
    [[5, 4], 5],
    [[4, 5], 5],
    [[0, null, 1, undefined], 1],
    [[70, 130], 130],
    [[3, 2, 5], 3],
    [[2, 5], 2],
    [[1, 99], 70],
  ])('%j -> %i', (codes, expected) => {
    expect(mostSevere(codes)).toBe(expected);
  });
});
