/** ULID-like ids (lower-case Crockford base32), unique within one sandbox. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Encodes a non-negative integer as `length` base32 characters (most significant first). */
export function encodeBase32(value: number, length: number): string {
  let rest = Math.max(0, Math.floor(value));
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomBase32(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += ALPHABET[byte & 31];
  return out;
}

export interface RunIds {
  /** fl_run_<26 chars>: 10 of time, 6 of sequence, 10 random. */
  runId: string;
  /** 20 chars; a log id is fl_log_<prefix><6 chars of its index>, stable across polls. */
  logPrefix: string;
}

/** Makes ids from the time and a per-sandbox sequence, so two runs never share one. */
export function createIdFactory(): (now: number) => RunIds {
  let seq = 0;
  return (now) => {
    seq += 1;
    const head = encodeBase32(now, 10) + encodeBase32(seq, 6);
    return { runId: `fl_run_${head}${randomBase32(10)}`, logPrefix: head + randomBase32(4) };
  };
}

/** The id of the index-th log of a run. */
export function logId(logPrefix: string, index: number): string {
  return `fl_log_${logPrefix}${encodeBase32(index, 6)}`;
}
