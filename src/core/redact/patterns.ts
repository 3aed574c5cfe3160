// Shapes of credentials that commands commonly print (curl -v, env, aws sts, kubectl get secret -o yaml,
// config dumps). Each rule keeps the label or key it found and replaces only the credential, so the reader
// still sees *what* was there. Over-redacting a word is preferred to leaking a credential into the record.

export interface PatternRule {
  name: string;
  /** Lower-case literals, one of which any match contains: the regex only runs where one occurs (speed). */
  hints: string[];
  regex: RegExp;
  /** Replacement for one match; returns the match unchanged to skip it. */
  replace: (match: string, ...groups: string[]) => string;
}

export const tag = (name: string): string => `[REDACTED:${name}]`;

/** Values that are already redacted must not be re-labelled by a broader rule. */
const notRedacted = '(?!\\[REDACTED)';
/** `key=`, `key: `, `"key": "` ... (the opening quote of the value is part of the separator). */
const SEP = `(["']?[ \\t]*[:=][ \\t]*)`;
/** A value: quoted, or a run up to whitespace, a quote or a list/URL separator. */
const VALUE = `("[^"\\r\\n]*"|'[^'\\r\\n]*'|${notRedacted}[^\\s"'\`,;&<>=][^\\s"'\`,;&<>]*)`;

function keyValue(match: string, key: string, sep: string, value: string, name: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  const inner = quote ? value.slice(1, -1) : value;
  if (inner === '' || inner.startsWith('[REDACTED')) return match;
  // MySQL's "Access denied ... (using password: YES)" says whether a password was sent, not which (a bare
  // YES or NO is one of the words below).
  if (/^(YES|NO)\)$/.test(inner)) return match;
  // `secret: true` (a front matter, a schema) says whether something is secret, not what it is.
  if (/^(true|false|null|none|yes|no|required|optional)$/i.test(inner)) return match;
  return `${key}${sep}${quote}${tag(name)}${quote}`;
}

function keywordName(key: string): string {
  const k = key.toLowerCase();
  if (k.startsWith('pass')) return 'PASSWORD';
  if (k.startsWith('token')) return 'TOKEN';
  if (k.startsWith('api')) return 'API_KEY';
  return 'SECRET';
}

export const PRIVATE_KEY_BLOCK =
  /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g;

export const PATTERN_RULES: PatternRule[] = [
  { name: 'SLACK_WEBHOOK', hints: ['hooks.slack.com'], regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g, replace: () => tag('SLACK_WEBHOOK') },
  // Bot, user, app, refresh (xoxe-), browser session (xoxc-, xoxd-) and app-level (xapp-) tokens.
  { name: 'SLACK_TOKEN', hints: ['xox', 'xapp'], regex: /\b(?:xox[abcdeoprs]|xapp)-[A-Za-z0-9-]{10,}/g, replace: () => tag('SLACK_TOKEN') },
  { name: 'GITHUB_TOKEN', hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'], regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g, replace: () => tag('GITHUB_TOKEN') },
  { name: 'JWT', hints: ['eyj'], regex: /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g, replace: () => tag('JWT') },
  { name: 'AWS_ACCESS_KEY_ID', hints: ['akia', 'asia'], regex: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: () => tag('AWS_ACCESS_KEY_ID') },
  {
    name: 'AWS_SECRET_ACCESS_KEY', hints: ['secret'],
    regex: new RegExp(`\\b(aws_?secret_?access_?key|secret_?access_?key)${SEP}(["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`, 'gi'),
    replace: (_m, key, sep, quote) => `${key}${sep}${quote}${tag('AWS_SECRET_ACCESS_KEY')}`,
  },
  {
    // Header lines and curl -H arguments; the scheme (Bearer, Basic, ...) is kept.
    name: 'AUTHORIZATION', hints: ['authorization'],
    regex: new RegExp(`\\b((?:proxy-)?authorization)${SEP}(["']?)((?:bearer|basic|digest|token|bot|negotiate|aws4-hmac-sha256)[ \\t]+)?${notRedacted}([^\\s"'\`][^\\r\\n"'\`]*)`, 'gi'),
    replace: (_m, key, sep, quote, scheme) => `${key}${sep}${quote}${scheme ?? ''}${tag('AUTHORIZATION')}`,
  },
  { name: 'BEARER_TOKEN', hints: ['bearer'], regex: /\b(bearer)[ \t]+(?!\[REDACTED)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, word) => `${word} ${tag('BEARER_TOKEN')}` },
  {
    // postgres://user:password@host, redis://:password@host (no user)
    name: 'URL_PASSWORD', hints: ['://'],
    regex: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]*:)(?!\[REDACTED)([^\s@/"'`]+)@/gi,
    replace: (_m, head) => `${head}${tag('URL_PASSWORD')}@`,
  },
  {
    name: 'CLI_FLAG', hints: ['--'],
    regex: /(--(?:password|passwd|token|api-key|secret)[ \t]+)(?!\[REDACTED)([^\s"'`]+)/gi,
    replace: (_m, flag: string) => `${flag}${tag(keywordName(flag.slice(2)))}`,
  },
  {
    // DB_PASSWORD=..., "api_key": "...", token: ..., ?access_token=...& — the keyword ends the key (a digit
    // may follow), so max_tokens, token_count and passwordless are ordinary words.
    name: 'KEY_VALUE', hints: ['passw', 'passphrase', 'secret', 'token', 'key'],
    regex: new RegExp(`(passwd|password|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key)(\\d{0,3})(?![A-Za-z0-9_])${SEP}${VALUE}`, 'gi'),
    replace: (m, word: string, rest: string, sep: string, value: string) => keyValue(m, word + rest, sep, value, keywordName(word)),
  },
  {
    name: 'STRIPE_KEY', hints: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    regex: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{10,}/g, replace: () => tag('STRIPE_KEY'),
  },
  { name: 'GOOGLE_API_KEY', hints: ['aiza'], regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, replace: () => tag('GOOGLE_API_KEY') },
  {
    // ~/.docker/config.json: "auth": "base64(user:password)"
    name: 'DOCKER_AUTH', hints: ['"auth"'],
    regex: /("auth"[ \t]*:[ \t]*")(?!\[REDACTED)([A-Za-z0-9+/=]{4,})"/g, replace: (_m, head: string) => `${head}${tag('DOCKER_AUTH')}"`,
  },
  {
    // ~/.netrc: machine HOST login USER password PASS, its tokens in any order: `password P` right after
    // another token pair (or `default`), or alone on its line as netrc files are laid out.
    name: 'NETRC_PASSWORD', hints: ['password'],
    regex: /(\b(?:(?:machine|login|account)[ \t]+\S+|default)[ \t]+password[ \t]+|^[ \t]*password[ \t]+(?=\S+[ \t]*$))(?!\[REDACTED)(\S+)/gim,
    replace: (_m, head: string) => `${head}${tag('PASSWORD')}`,
  },
  {
    // curl -u user:pass, --user user:pass, -u :token (an empty user, as Azure DevOps documents), and the
    // proxy's -U / --proxy-user (the user stays)
    name: 'CURL_USER', hints: ['curl'],
    regex: /(\bcurl\b[^\r\n|;&]*?\s(?:-[uU][ \t]*|--(?:proxy-)?user[ \t=]+)["']?[^\s:"'@]*:)(?!\[REDACTED)([^\s"']+)/g, replace: (_m, head: string) => `${head}${tag('PASSWORD')}`,
  },
  {
    // mysql -pSECRET (the password glued to -p)
    name: 'MYSQL_PASSWORD', hints: ['mysql', 'mariadb'],
    regex: /(\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mariadb|mariadb-dump|mariadb-admin)\b[^\r\n|;&]*?[ \t]-p)(?!\[REDACTED)([^\s"'|;&]+)/g,
    replace: (_m, head: string) => `${head}${tag('PASSWORD')}`,
  },
];
