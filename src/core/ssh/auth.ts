// Public key authentication as ssh does it: the agent's keys first (SSH_AUTH_SOCK), then each key file in
// order; an encrypted key asks for its passphrase (once, cached in memory). What was tried is remembered so
// a refusal can say so.

import { existsSync, readFileSync } from 'node:fs';
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware } from 'ssh2';
import { ssh2 } from '../util/lazy.js';
import type { PassphraseCache } from './passphrases.js';

export interface AuthPlanInput {
  user: string;
  /** Agent socket; undefined or '' when there is none. */
  agent: string | undefined;
  identityFiles: string[];
  passphrases: PassphraseCache;
  askPassphrase: (path: string) => Promise<string | undefined>;
  /** Wraps every question to the user (the connect timeout stops meanwhile). */
  whileAsking: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface AuthPlan {
  handler: AuthHandlerMiddleware;
  /** Methods the server said it accepts (from its last refusal). */
  serverMethods(): string[];
  /** What was offered, for the error message: "ssh-agent", key paths, notes about skipped keys. */
  tried(): string[];
}

export function authPlan(input: AuthPlanInput): AuthPlan {
  const tried: string[] = [];
  let serverMethods: string[] = ['publickey'];
  const steps: Array<() => Promise<AnyAuthMethod | undefined>> = [];
  if (input.agent) {
    steps.push(async () => {
      if (!existsSync(input.agent!)) {
        tried.push(`ssh-agent (socket ${input.agent} missing)`);
        return undefined;
      }
      tried.push('ssh-agent');
      return { type: 'agent', username: input.user, agent: input.agent! };
    });
  }
  for (const path of input.identityFiles) steps.push(() => keyMethod(path));

  async function keyMethod(path: string): Promise<AnyAuthMethod | undefined> {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch {
      return undefined; // missing key files are skipped, as ssh does
    }
    let key = ssh2().utils.parseKey(data);
    if (key instanceof Error) {
      if (!/encrypted|passphrase/i.test(key.message)) {
        tried.push(`${path} (unusable: ${key.message})`);
        return undefined;
      }
      const pass = await input.whileAsking(() => input.passphrases.get(path, input.askPassphrase));
      if (pass === undefined) {
        tried.push(`${path} (no passphrase given)`);
        return undefined;
      }
      key = ssh2().utils.parseKey(data, pass);
      if (key instanceof Error) {
        input.passphrases.forget(path);
        tried.push(`${path} (wrong passphrase)`);
        return undefined;
      }
    }
    const parsed = Array.isArray(key) ? key[0] : key;
    if (!parsed?.isPrivateKey()) {
      tried.push(`${path} (not a private key)`);
      return undefined;
    }
    tried.push(path);
    return { type: 'publickey', username: input.user, key: parsed };
  }

  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, next) => {
    if (methodsLeft) serverMethods = methodsLeft;
    const allowed = (m: AuthenticationType[] | null): boolean => !m || m.includes('publickey');
    void (async () => {
      while (steps.length && allowed(methodsLeft)) {
        const method = await steps.shift()!();
        if (method) return method;
      }
      return false as const;
    })().then(
      (m) => next(m as AnyAuthMethod),
      () => next(false as unknown as AnyAuthMethod),
    );
  };
  return { handler, serverMethods: () => serverMethods, tried: () => tried };
}
