// The REST Client request grammar (Huachao/vscode-restclient), with httpYac's assertions, for http cells:
//
//   @base = https://api.example.com          file variables (usable as {{base}}; evaluated when used)
//   # @name login                             request settings in comments: @name, @no-redirect
//   POST {{base}}/login HTTP/1.1              METHOD URL [HTTP/x]; a bare URL means GET; a bare path
//   ?debug=1                                    takes its host from the Host header
//   &verbose=1                                query continuation lines (start with ? or &, indented or not)
//   Content-Type: application/json            headers
//                                             blank line
//   {"user": "{{USER}}"}                      body (up to the next ###), or `< ./file` / `<@ ./file`
//   ?? status == 200                          assertions (httpYac): a failing one fails the cell
//   ###                                       separator; each request runs in order
//
// `#` and `//` lines are comments before the request line and among the headers.

export interface HttpAssertion {
  /** status, header, body, duration. */
  subject: 'status' | 'header' | 'body' | 'duration';
  /** Header name, or JSONPath (`$.a.b`) into the body. */
  path?: string;
  operator: string;
  /** Template (variables substituted when checked). */
  expected?: string;
  line: number;
  text: string;
}

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
  /** `< path` (raw bytes) or `<@ path` (variables substituted), relative to the runbook. */
  bodyFile?: { path: string; substitute: boolean; line: number };
  assertions: HttpAssertion[];
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
const ASSERTION = /^\?\?\s*(.*)$/;
export const ASSERT_OPERATORS = ['==', '!=', '<=', '>=', '<', '>', 'startsWith', 'endsWith', 'includes', 'contains', 'matches', 'exists', 'isTrue', 'isFalse', 'isNumber', 'isString', 'isBoolean', 'isArray'];
const UNARY = new Set(['exists', 'isTrue', 'isFalse', 'isNumber', 'isString', 'isBoolean', 'isArray']);

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
    const u = URL_ONLY.exec(first.text.trim()) ?? /^(\/\S*)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/.exec(first.text.trim());
    if (!u) {
      out.errors.push({ line: first.line, message: `expected a request line such as "GET https://host/path" (or a bare URL), got "${first.text.trim()}"` });
      return;
    }
    url = u[1]!;
  }
  i++;
  while (i < block.length && /^\s*[?&]/.test(block[i]!.text) && !ASSERTION.test(block[i]!.text.trim())) url += block[i++]!.text.trim();
  const headers: [string, string][] = [];
  const assertions: HttpAssertion[] = [];
  const assertion = (text: string, line: number): boolean => {
    const a = ASSERTION.exec(text.trim());
    if (!a) return false;
    const parsed = parseAssertion(a[1]!, line, text.trim());
    if (typeof parsed === 'string') out.errors.push({ line, message: parsed });
    else assertions.push(parsed);
    return true;
  };
  for (; i < block.length; i++) {
    const { text, line } = block[i]!;
    if (!text.trim()) break;
    if (assertion(text, line)) break; // as in httpYac, an assertion ends the headers
    if (COMMENT.test(text)) continue;
    const h = HEADER.exec(text.trim());
    if (!h) {
      out.errors.push({ line, message: `expected a header "Name: value" (a blank line must separate the headers from the body), got "${text.trim()}"` });
      return;
    }
    headers.push([h[1]!, h[2]!.trim()]);
  }
  const bodyLines = block.slice(i + 1).filter((b) => !assertion(b.text, b.line));
  while (bodyLines.length && !bodyLines[bodyLines.length - 1]!.text.trim()) bodyLines.pop();
  while (bodyLines.length && !bodyLines[0]!.text.trim()) bodyLines.shift();
  const spec: HttpRequestSpec = { index: out.requests.length, method, url, headers, assertions, line: first.line, noRedirect };
  if (name) spec.name = name;
  const file = bodyLines.length === 1 ? /^<(@)?(?:[\w-]*)?\s+(\S.*?)\s*$/.exec(bodyLines[0]!.text.trim()) : undefined;
  if (file) {
    spec.bodyFile = { path: file[2]!, substitute: Boolean(file[1]), line: bodyLines[0]!.line };
  } else if (bodyLines.length) {
    const form = headers.some(([k, v]) => k.toLowerCase() === 'content-type' && /x-www-form-urlencoded/i.test(v));
    // REST Client and httpYac join a form body's lines (`name=foo` / `&password=bar`).
    spec.body = form ? bodyLines.map((b) => b.text.trim()).join('') : bodyLines.map((b) => b.text).join('\n');
  }
  out.requests.push(spec);
}

/** `status == 200`, `header content-type includes json`, `body $.status == ok`, `duration < 500`. */
function parseAssertion(text: string, line: number, whole: string): HttpAssertion | string {
  const words = text.trim().split(/\s+/);
  const subject = words.shift();
  if (subject !== 'status' && subject !== 'header' && subject !== 'body' && subject !== 'duration') {
    return `"${whole}": an assertion starts with status, header, body or duration (as httpYac's ?? lines)`;
  }
  let path: string | undefined;
  if (subject === 'header' || (subject === 'body' && words[0] && !ASSERT_OPERATORS.includes(words[0]))) path = words.shift();
  if (subject === 'header' && !path) return `"${whole}": name the header (?? header content-type includes json)`;
  const operator = words.shift();
  if (!operator || !ASSERT_OPERATORS.includes(operator)) {
    return `"${whole}": expected an operator (${ASSERT_OPERATORS.join(' ')})`;
  }
  const rest = text.trim().slice(text.trim().indexOf(operator, subject.length + (path?.length ?? 0)) + operator.length).trim();
  if (!UNARY.has(operator) && !rest) return `"${whole}": ${operator} needs a value to compare with`;
  return { subject, ...(path ? { path } : {}), operator, ...(rest ? { expected: rest } : {}), line, text: whole };
}
