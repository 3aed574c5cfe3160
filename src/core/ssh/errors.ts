// Errors a user can act on at 3 a.m.: each names the target (user@host:port) and says what happened.

export type SshErrorKind =
  | 'refused' // nothing listens on the port
  | 'unreachable' // no route, DNS failure
  | 'timeout' // TCP or handshake did not complete in time
  | 'auth' // permission denied
  | 'hostkey-changed'
  | 'hostkey-rejected' // unknown key, the user said no
  | 'hostkey-revoked'
  | 'jump' // a jump host could not reach the next hop
  | 'lost' // the connection dropped after it was up
  | 'channel' // the server refused a channel (exec, forwarding)
  | 'other';

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    /** `user@host:port` of the hop concerned. */
    readonly label: string,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

/** Turns a socket error into a sentence; `what` names the endpoint (`rbtest@127.0.0.1:2222`). */
export function socketError(err: NodeJS.ErrnoException, label: string, host: string, port: number): SshError {
  const code = err.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return new SshError('refused', `could not connect to ${label}: connection refused (is sshd running and listening on port ${port}?)`, label);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new SshError('unreachable', `could not connect to ${label}: unknown host name ${host}`, label);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return new SshError('unreachable', `could not connect to ${label}: host unreachable (${code})`, label);
    case 'ETIMEDOUT':
      return new SshError('timeout', `could not connect to ${label}: timed out (host unreachable or a firewall drops the packets)`, label);
    case 'ECONNRESET':
    case 'EPIPE':
      return new SshError('lost', `could not connect to ${label}: the connection was reset by the server`, label);
    default:
      return new SshError('other', `could not connect to ${label}: ${err.message}`, label);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
