// From a parsed request to the bytes to send, as REST Client and httpYac build them: variables
// substituted; a bare path takes its host from the Host header; `Authorization: Basic user:passwd` (or
// `user passwd`) is base64-encoded; `X-REQUEST-TYPE: GraphQL` bodies become {query, operationName,
// variables} JSON; `< ./file` bodies are read (raw) or `<@ ./file` (variables substituted), also as the
// parts of a multipart body (whose lines are joined with CRLF).
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { HttpRequestSpec } from './parse.js';
import type { OutgoingRequest } from './send.js';
import { substitute, type TemplateContext } from './variables.js';

export interface BodyFiles {
  /** Where relative paths start (the runbook's folder). */
  baseDir: string;
  /** No body file may be outside this folder (the workspace; default baseDir). */
  root?: string;
}

export function prepareRequest(spec: HttpRequestSpec, ctx: TemplateContext, files?: BodyFiles): OutgoingRequest {
  let urlText = substitute(spec.url, ctx).text.trim();
  const headers = spec.headers.map(([k, v]): [string, string] => [k, basicAuth(k, substitute(v, ctx).text)]);
  let body: string | Buffer | undefined = spec.body === undefined ? undefined : substitute(spec.body, ctx).text;
  if (spec.bodyFile) {
    const bytes = readBodyFile(spec.bodyFile.path, files);
    body = spec.bodyFile.substitute ? substitute(bytes.toString('utf8'), ctx).text : bytes;
  } else if (spec.body !== undefined && headers.some(([k, v]) => k.toLowerCase() === 'content-type' && /^\s*multipart\//i.test(v))) {
    body = multipartBody(spec.body, ctx, files);
  }
  if (typeof body === 'string' && headers.some(([k, v]) => k.toLowerCase() === 'x-request-type' && v.toLowerCase() === 'graphql')) body = graphqlBody(body);
  if (urlText.startsWith('/')) {
    const host = headers.find(([k]) => k.toLowerCase() === 'host')?.[1].trim();
    if (!host) throw new Error(`"${urlText}" is only a path: add a Host header (Host: example.com) or write the whole URL`);
    urlText = `${/:443$/.test(host) ? 'https' : 'http'}://${host}${urlText}`;
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(urlText) ? urlText : `http://${urlText}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${urlText}" is not a valid URL (expected http(s)://host[:port]/path)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${urlText}": only http:// and https:// URLs can be requested`);
  if (!url.hostname) throw new Error(`"${urlText}" has no host name`);
  return { method: spec.method, url, headers, body, noRedirect: spec.noRedirect };
}

/** Multipart bodies: lines joined with CRLF, a `< ./file` (`<@ ./file`) line replaced by the file. */
function multipartBody(text: string, ctx: TemplateContext, files: BodyFiles | undefined): Buffer {
  const parts = text.split('\n').map((line) => {
    const f = /^<(@)?\s+(\S.*?)\s*$/.exec(line.trim());
    if (!f) return Buffer.from(substitute(line.replace(/\r$/, ''), ctx).text, 'utf8');
    const bytes = readBodyFile(f[2]!, files);
    return f[1] ? Buffer.from(substitute(bytes.toString('utf8'), ctx).text, 'utf8') : bytes;
  });
  const out: Buffer[] = [];
  parts.forEach((p, i) => out.push(...(i ? [Buffer.from('\r\n'), p] : [p])));
  return Buffer.concat(out);
}

/** `Basic user:passwd` and `Basic user passwd` → `Basic base64(user:passwd)`; an encoded value stays. */
function basicAuth(name: string, value: string): string {
  if (name.toLowerCase() !== 'authorization') return value;
  const m = /^(Basic)\s+(.*)$/i.exec(value.trim());
  if (!m) return value;
  const rest = m[2]!.trim();
  const pair = /^(\S+)\s+(.+)$/.exec(rest);
  const plain = pair ? `${pair[1]}:${pair[2]}` : rest.includes(':') ? rest : undefined;
  return plain === undefined ? value : `${m[1]} ${Buffer.from(plain, 'utf8').toString('base64')}`;
}

/** The query, then after a blank line optional variables JSON. */
function graphqlBody(text: string): string {
  const split = /\n\s*\n(?=\s*\{)/.exec(text);
  const query = (split ? text.slice(0, split.index) : text).trim();
  const vars = split ? text.slice(split.index + split[0].length).trim() : '';
  const out: Record<string, unknown> = { query };
  const op = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  if (op) out.operationName = op[1];
  if (vars) {
    try {
      out.variables = JSON.parse(vars);
    } catch (e) {
      throw new Error(`the GraphQL variables are not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  return JSON.stringify(out);
}

/**
 * A body file, relative to the runbook's folder. Paths that leave the workspace (absolute paths, `..`,
 * symbolic links pointing out) are refused: a shared runbook must not send ~/.aws/credentials.
 */
function readBodyFile(path: string, files: BodyFiles | undefined): Buffer {
  if (!files) throw new Error(`"< ${path}": body files need the runbook's folder, which is not known here`);
  const root = realpathSync(files.root ?? files.baseDir);
  const full = resolve(files.baseDir, path.replace(/^~(?=\/)/, '/nonexistent-home'));
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new Error(`the body file ${full} does not exist (no such file)`);
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`the body file ${real} is outside the workspace (${root}), so it is not sent (body files must be inside the workspace)`);
  return readFileSync(real);
}
