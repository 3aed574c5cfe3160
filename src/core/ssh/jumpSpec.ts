// One ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`.

export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

export function parseJumpSpec(spec: string): JumpSpec {
  let s = spec.trim();
  if (/^ssh:\/\//i.test(s)) s = s.slice(6).replace(/\/$/, '');
  const out: JumpSpec = { host: '' };
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    out.user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    out.host = v6[1]!;
    if (v6[2]) out.port = Number(v6[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m) {
      out.host = m[1]!;
      out.port = Number(m[2]);
    } else {
      out.host = s;
    }
  }
  if (!out.host || (out.user !== undefined && !out.user)) throw new Error(`not a valid host: ${JSON.stringify(spec)}`);
  if (out.port !== undefined && (!Number.isInteger(out.port) || out.port < 1 || out.port > 65535)) {
    throw new Error(`not a valid port in ${JSON.stringify(spec)}`);
  }
  return out;
}
