// `runbook seal RECORD [--key FILE] [--principal NAME]` signs a record with an SSH key (ssh-agent or a key
// file, asking for its passphrase on the terminal) and appends the seal block; `runbook seal --payload
// RECORD` prints exactly the bytes that are (or would be) signed, for `ssh-keygen -Y verify`.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultPrincipal } from '../core/util/defaultPrincipal.js';
import {
  agentSigners, eolOf, keyFileSigner, PassphraseNeeded, payloadForSealing, publicKeyOf, sealRecord, splitSeal, type Signer,
} from '../core/seal/index.js';
import { fingerprint } from '../core/seal/sshsig.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export const SEAL_USAGE = `  seal RECORD [--key FILE] [--principal NAME]
                      sign the record with an SSH key (ssh-agent, or FILE; a passphrase is asked on the
                      terminal) and append the seal block; the principal defaults to git's user.email
  seal --payload RECORD
                      print exactly the bytes the seal signs (for ssh-keygen -Y verify -n runbook)`;

export async function sealCommand(args: string[], out: (s: string) => void): Promise<number> {
  let key: string | undefined;
  let principal: string | undefined;
  let payloadOnly = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--key' || a === '--principal') {
      const v = args[++i];
      if (!v) throw new UsageError(`${a} needs a value`);
      if (a === '--key') key = v;
      else principal = v;
    } else if (a === '--payload') payloadOnly = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError('seal needs exactly one RECORD');
  const file = files[0]!;
  const text = decodeUtf8(readFileSync(file));
  if (payloadOnly) {
    const split = splitSeal(text);
    process.stdout.write(split.seal || split.problem ? split.payload : payloadForSealing(text, eolOf(text)));
    return 0;
  }
  const signer = await chooseSigner(key);
  const who = principal ?? await defaultPrincipal();
  if (/[\r\n]/.test(who) || !who.trim()) throw new UsageError('--principal must be one non-empty line');
  const sealed = await sealRecord(text, signer, who);
  const tmp = `${file}.seal-${process.pid}.tmp`;
  writeFileSync(tmp, sealed);
  renameSync(tmp, file);
  out(`${file}: sealed by ${who} with ${signer.type} ${fingerprint(signer.publicKey)} (${signer.source})`);
  return 0;
}

async function chooseSigner(key: string | undefined): Promise<Signer> {
  const agent = await agentSigners().catch(() => []);
  if (key) {
    if (!existsSync(key)) throw new Error(`no key file ${key}`);
    // A key the agent holds is used through the agent (no passphrase, hardware keys work).
    const pub = publicKeyOf(existsSync(`${key}.pub`) ? `${key}.pub` : key);
    const held = pub && agent.find((s) => s.publicKey.equals(pub));
    if (held) return held;
    try {
      return keyFileSigner(key);
    } catch (e) {
      if (!(e instanceof PassphraseNeeded)) throw e;
      return keyFileSigner(key, await askHidden(`Enter passphrase for ${key}: `));
    }
  }
  if (agent.length) return agent[0]!;
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const path = join(homedir(), '.ssh', name);
    if (existsSync(path)) return chooseSigner(path);
  }
  throw new Error('no SSH key: start ssh-agent with a key loaded, or give --key FILE');
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new Error('the key needs a passphrase: run on a terminal, or load the key into ssh-agent'));
  stdin.setRawMode(true); // before the prompt: nothing typed after it may be echoed
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
