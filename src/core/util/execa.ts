// Local one-shot processes run through execa (DESIGN §2): its timeouts, cancellation (SIGTERM, then SIGKILL
// after a grace period), cleanup when Node exits, and error messages that name the command and why it failed.
// execa is ESM-only, so it loads with import() on first use; in the bundles it is dist/vendor/execa.js, which
// esbuild turns into a plain require (scripts/build.mjs), so activation never evaluates it.
export type ExecaModule = typeof import('execa');

let loading: Promise<ExecaModule> | undefined;

export function execaModule(): Promise<ExecaModule> {
  return (loading ??= import('execa'));
}

/** The first line of an execa error's message: "Command failed with ENOENT: sqlite3 ...", "Command timed out after 50 milliseconds: ...". */
export function execaReason(e: unknown): string {
  const err = e as { shortMessage?: string; message?: string };
  return (err.shortMessage ?? err.message ?? String(e)).split('\n')[0]!;
}
