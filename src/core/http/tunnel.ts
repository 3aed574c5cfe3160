// The hook through which SQL connections and HTTP requests reach a remote host's network: the SSH layer
// opens a local port forwarded to `host:port` as seen from the SSH host `via`, and closes it afterwards.

/** A local port forwarded to a remote address. */
export interface Forward {
  host: string;
  port: number;
  close(): void;
}

/**
 * Opens a forward to `host:port` as seen from the SSH host named `via` (a front matter `hosts:` key or an
 * ~/.ssh/config alias). A function taking only (host, port) fits too.
 */
export type Connect = (host: string, port: number, via: string) => Promise<Forward>;

/** Thrown when something needs a tunnel and no `connect` hook was given. */
export class TunnelUnavailableError extends Error {
  constructor(what: string, via: string) {
    super(
      `SSH tunnelling needs the SSH transport, which is not available here: ${what} goes through host "${via}". ` +
        'Run this cell where SSH targets are supported, or open the tunnel yourself and point the cell at the local port.',
    );
    this.name = 'TunnelUnavailableError';
  }
}

/** Opens a forward or says clearly why it could not. */
export async function openForward(connect: Connect | undefined, host: string, port: number, via: string, what: string): Promise<Forward> {
  if (!connect) throw new TunnelUnavailableError(what, via);
  try {
    return await connect(host, port, via);
  } catch (err) {
    const e = new Error(`could not open an SSH tunnel through "${via}" to ${host}:${port} for ${what}: ${(err as Error).message}`);
    e.name = 'TunnelError';
    throw e;
  }
}
