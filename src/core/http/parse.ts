// The REST Client request grammar (Huachao/vscode-restclient) for http cells:
//
//   @base = https://api.example.com          file variables (usable as {{base}} below)
//   # @name login                             request settings in comments: @name, @no-redirect
//   POST {{base}}/login HTTP/1.1              METHOD URL [HTTP/x]; a bare URL means GET
//       ?debug=1                              query continuation lines (start with ? or &)
//   Content-Type: application/json            headers
//                                             blank line
//   {"user": "{{USER}}"}                      body (up to the next ###)
//   ###                                       separator; each request runs in order
//
// `#` and `//` lines are comments before the request line and among the headers.

export interface HttpRequestSpec {
  /** 0-based position in the cell. */
  index: number;
  /** From `# @name NAME`: later requests can use `{{NAME.response.body.$.x}}`. */
  name?: string;
  method: string;
  /** URL template (variables not substituted), continuation lines joined. */
  url: string;
  /** Header templates in order. */
  headers: [string, string][];
  /** Body template; undefined when there is none. */
  body?: string;
  /** 1-based line of the request line in the cell. */
  line: number;
  noRedirect: boolean;
}

export interface ParsedHttpCell {
  requests: HttpRequestSpec[];
  /** `@name = value` lines in order (value templates). */
  fileVariables: [string, string][];
  /** Syntax problems with their 1-based line; nothing runs when there are any. */
  errors: { line: number; message: string }[];
}

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'LOCK', 'UNLOCK', 'PROPFIND', 'PROPPATCH', 'COPY', 'MOVE', 'MKCOL', 'MKCALENDAR', 'ACL', 'SEARCH'];
const REQUEST_LINE = new RegExp(`^(${METHODS.join('|')})\\s+(\\S.*?)(?:\\s+HTTP\\/\\d(?:\\.\\d)?)?\\s*$`, 'i');
const URL_ONLY = /^((?:https?:\/\/|\{\{|localhost\b|[\w.-]+:\d+)\S*)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/i;
const FILE_VARIABLE = /^@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;
const COMMENT = /^\s*(#|\/\/)/;
const SETTING = /^\s*(?:#|\/\/)\s*@([\w-]+)(?:\s+(.*?))?\s*$/;
const HEADER = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*:\s?(.*)$/;

export function parseHttpCell(source: string): ParsedHttpCell {
  const lines = source.split('\n').map((l) => l.replace(/\r$/, ''));
  const result: ParsedHttpCell = { requests: [], fileVariables: [], errors: [] };
  let block: { text: string; line: number }[] = [];
  const flush = (): void => {
    parseBlock(block, result);
    block = [];
  };
  lines.forEach((text, i) => {
    if (/^###/.test(text)) flush();
    else block.push({ text, line: i + 1 });
  });
  flush();
  return result;
}

function parseBlock(block: { text: string; line: number }[], out: ParsedHttpCell): void {
  let i = 0;
  let name: string | undefined;
  let noRedirect = false;
  // Before the request line: blanks, comments with settings, file variables.
  for (; i < block.length; i++) {
    const { text } = block[i]!;
    if (!text.trim()) continue;
    const setting = SETTING.exec(text);
    if (setting) {
      if (setting[1] === 'name') name = setting[2]?.trim() || undefined;
      if (setting[1] === 'no-redirect') noRedirect = true;
      continue;
    }
    if (COMMENT.test(text)) continue;
    const fv = FILE_VARIABLE.exec(text.trim());
    if (fv) {
      out.fileVariables.push([fv[1]!, fv[2]!]);
      continue;
    }
    break;
  }
  if (i >= block.length) return; // only comments, variables or blanks
  const first = block[i]!;
  const m = REQUEST_LINE.exec(first.text.trim());
  let method = 'GET';
  let url: string;
  if (m) {
    method = m[1]!.toUpperCase();
    url = m[2]!;
  } else {
    const u = URL_ONLY.exec(first.text.trim());
    if (!u) {
      out.errors.push({ line: first.line, message: `expected a request line such as "GET https://host/path" (or a bare URL), got "${first.text.trim()}"` });
      return;
    }
    url = u[1]!;
  }
  i++;
  while (i < block.length && /^\s+[?&]/.test(block[i]!.text)) url += block[i++]!.text.trim();
  const headers: [string, string][] = [];
  for (; i < block.length; i++) {
    const { text, line } = block[i]!;
    if (!text.trim()) break;
    if (COMMENT.test(text)) continue;
    const h = HEADER.exec(text.trim());
    if (!h) {
      out.errors.push({ line, message: `expected a header "Name: value" (a blank line must separate the headers from the body), got "${text.trim()}"` });
      return;
    }
    headers.push([h[1]!, h[2]!.trim()]);
  }
  const bodyLines = block.slice(i + 1).map((b) => b.text);
  while (bodyLines.length && !bodyLines[bodyLines.length - 1]!.trim()) bodyLines.pop();
  let body: string | undefined = bodyLines.length ? bodyLines.join('\n') : undefined;
  if (body !== undefined && /^<@?\s+\S/.test(body.trim()) && !body.trim().includes('\n')) {
    out.errors.push({ line: block[i + 1]!.line, message: 'request bodies from files ("< path") are not supported in runbook cells: put the body inline' });
    body = undefined;
  }
  out.requests.push({ index: out.requests.length, name, method, url, headers, body, line: first.line, noRedirect });
}
