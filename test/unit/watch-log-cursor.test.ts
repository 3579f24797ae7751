import { describe, expect, it } from 'vitest';
import type { WorkflowLog } from '../../src/api/types.js';
import { createLogCursor } from '../../src/watch/log-cursor.js';
import { makeLog } from '../helpers/run-fixtures.js';

const logs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => makeLog(from + i));
const ids = (list: WorkflowLog[]) => list.map((l) => l.id);

describe('log cursor', () => {
  it('yields each log once, in order, as the list grows', () => {
    const cursor = createLogCursor();
    expect(ids(cursor.next(logs(1, 2)))).toEqual(['fl_log_0001', 'fl_log_0002']);
    expect(ids(cursor.next(logs(1, 2)))).toEqual([]);
    expect(ids(cursor.next(logs(1, 5)))).toEqual(['fl_log_0003', 'fl_log_0004', 'fl_log_0005']);
    expect(cursor.seenCount).toBe(5);
  });

  it('treats a missing logs field as no logs', () => {
    const cursor = createLogCursor();
    expect(cursor.next(undefined)).toEqual([]);
    expect(ids(cursor.next(logs(1, 1)))).toEqual(['fl_log_0001']);
  });

  it('falls back to seen ids when the server reorders', () => {
    const cursor = createLogCursor();
    cursor.next(logs(1, 3));
    const shuffled = [makeLog(3), makeLog(4), makeLog(1), makeLog(2), makeLog(5)];
    expect(ids(cursor.next(shuffled))).toEqual(['fl_log_0004', 'fl_log_0005']);
    expect(ids(cursor.next(logs(1, 6)))).toEqual(['fl_log_0006']);
  });

  it('does not repeat logs when the server trims old ones', () => {
    const cursor = createLogCursor();
    cursor.next(logs(1, 10));
    expect(ids(cursor.next(logs(6, 12)))).toEqual(['fl_log_0011', 'fl_log_0012']);
    expect(ids(cursor.next([]))).toEqual([]);
    expect(ids(cursor.next(logs(1, 13)))).toEqual(['fl_log_0013']);
  });

  it('yields a duplicated id only once', () => {
    const cursor = createLogCursor();
    expect(ids(cursor.next([makeLog(1), makeLog(1), makeLog(2)]))).toEqual(['fl_log_0001', 'fl_log_0002']);
  });

  it('does work proportional to the new logs, not the seen ones', () => {
    let touched = 0;
    const counted = (n: number): WorkflowLog => {
      const log = makeLog(n);
      const id = log.id;
      Object.defineProperty(log, 'id', {
        get: () => {
          touched += 1;
          return id;
        },
      });
      return log;
    };
    const all = Array.from({ length: 3005 }, (_, i) => counted(i + 1));
    const cursor = createLogCursor();
    cursor.next(all.slice(0, 3000));
    touched = 0;
    expect(cursor.next(all.slice(0, 3000))).toHaveLength(0);
    expect(touched).toBeLessThanOrEqual(2);
    touched = 0;
    expect(cursor.next(all)).toHaveLength(5);
    expect(touched).toBeLessThanOrEqual(5 + 2);
  });
});
