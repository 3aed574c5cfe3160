// Why a request got no response, in words an on-call engineer can act on.

interface Caused {
  code?: string;
  message?: string;
  cause?: Caused;
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_CERT|HOSTNAME_MISMATCH)/;

/** The innermost error with a code (fetch wraps the socket error in `cause`). */
function rootCause(err: unknown): Caused {
  let e = err as Caused | undefined;
  let best: Caused = (err as Caused) ?? {};
  for (let depth = 0; e && depth < 5; depth++, e = e.cause) if (e.code) best = e;
  return best;
}

export function describeRequestError(err: unknown, url: URL): string {
  const c = rootCause(err);
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const code = c.code ?? '';
  const message = c.message ?? String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host}:${port}: nothing is listening there (is the service running? is the port right?)`;
    case 'ENOTFOUND':
      return `host name not found: ${host} (DNS lookup failed; check the spelling or the network)`;
    case 'EAI_AGAIN':
      return `DNS lookup for ${host} failed temporarily (no DNS server reachable?)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return `the connection to ${host}:${port} was closed before a complete response arrived (${message})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect to ${host}:${port}: no answer (firewall? wrong address?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host}:${port} is unreachable from here (${code})`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return `TLS handshake with ${host}:${port} failed: is it plain HTTP? (try http:// instead of https://) (${message})`;
    default:
      if (TLS_CODES.test(code)) return `TLS certificate of ${host} not accepted: ${message} (${code})`;
      return `request to ${url.origin} failed: ${message}${code ? ` (${code})` : ''}`;
  }
}
