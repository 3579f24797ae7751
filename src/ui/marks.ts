/**
 * The one set of marks alto prints (issue 12, one look): a success is always ✔, a warning
 * always !, a failure always ✖, in text output, notices and CI logs alike. A file of its own:
 * palette.ts loads chalk, which a run without colour never needs.
 */
export const MARK = { success: '✔', failure: '✖', warning: '!' } as const;
