import { recordOf, text } from './format.js';
import type { Palette } from './palette.js';

// The API documents no field for the dashboard page of a waiting run; these are the names an API
// like it uses. Looked for on the run and under its `links`; the first usable one wins.
const URL_KEYS = ['dashboard_url', 'approval_url', 'interaction_url', 'ui_url', 'html_url', 'web_url', 'url'] as const;
const LINK_KEYS = ['dashboard', 'approval', 'interaction', 'ui', 'html', 'web', ...URL_KEYS] as const;
const MAX_URL_CHARS = 2048;

/** A server value as a link a person may open: http(s) only, no credentials, ASCII (WHATWG-serialised), bounded. */
export function cleanUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.username = '';
  url.password = '';
  // href percent-encodes controls, spaces and non-ASCII in the path; punycode in the host.
  const href = url.href;
  return href.length <= MAX_URL_CHARS && /^[\x21-\x7e]+$/.test(href) ? href : undefined;
}

/** The page where a person answers a waiting run, when the API gives one. Any value in. */
export function dashboardUrl(run: unknown): string | undefined {
  const r = recordOf(run);
  for (const key of URL_KEYS) {
    const url = cleanUrl(r[key]);
    if (url) return url;
  }
  const links = recordOf(r.links);
  for (const key of LINK_KEYS) {
    const link = links[key];
    const url = cleanUrl(typeof link === 'object' && link !== null ? recordOf(link).href : link);
    if (url) return url;
  }
  return undefined;
}

/** --wait-approval: the run now waits for a person; alto keeps watching. Any value in. */
export function renderApprovalWait(run: unknown, palette: Palette): string[] {
  const r = recordOf(run);
  const lines = [`${palette.warning('⏸')} run ${palette.id(text(r.id, '?', 200))} is waiting for a person in the dashboard; still watching (--wait-approval) until it ends or --timeout`];
  const url = dashboardUrl(run);
  if (url) lines.push(`  approve it at: ${palette.info(text(url, '', MAX_URL_CHARS))}`);
  return lines;
}

