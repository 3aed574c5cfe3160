// The credential shapes of core/redact/patterns.ts one by one: for each rule, real-looking examples that must be
// replaced whole (exact output), near misses that must stay as they are (one character short, a wrong prefix, no
// word boundary, a harmless value) and the exact limits of each shape (docs/MUTATION.md, redact `patterns.ts`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PATTERN_RULES, type PatternRule } from '../../src/core/redact/patterns.js';
import { createRedactor } from '../../src/core/redact/redactor.js';

/** `n` characters of a token alphabet (upper, lower, digits), deterministic. */
const alnum = (n: number, from = 0): string => {
  const abc = 'aB3cD4eF5gH6iJ7kL8mN9oP0qRsTuVwXyZ1A2';
  let out = '';
  for (let i = 0; i < n; i++) out += abc[(i + from) % abc.length];
  return out;
};

interface Shape {
  /** Input and the exact text it becomes, both by this rule alone and by the whole redactor. */
  redacts: Array<[string, string]>;
  /** Inputs this rule must leave alone; the whole redactor too, unless a second text says what another rule makes of it. */
  misses: Array<string | [string, string]>;
}

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'; // 40 characters, AWS's documented example
const JWT_HEAD = 'eyJhbGciOiJIUzI1NiJ9';
const JWT_BODY = 'eyJzdWIiOiIxMjM0NTY3ODkwIn0';
const JWT_SIG = 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const GOOGLE = 'AIzaSyA-1234567890abcdefghijklmnopqrst_'; // AIza + 35

/** Every rule of PATTERN_RULES, by name: a new rule without examples fails the first test below. */
const SHAPES: Record<string, Shape> = {
  SLACK_WEBHOOK: {
    redacts: [
      ['POST https://hooks.slack.com/services/T0A1B2C3D/B0E4F5G6H/abcdefABCDEF1234567890xy ok', 'POST [REDACTED:SLACK_WEBHOOK] ok'],
      ['url=https://hooks.slack.com/workflows/T0A1B2C3D/A0123/456789/aBcD_eF-12', 'url=[REDACTED:SLACK_WEBHOOK]'],
      ['"https://hooks.slack.com/triggers/T0A1B2C3D/123456/abcdef"', '"[REDACTED:SLACK_WEBHOOK]"'],
    ],
    misses: ['docs: https://hooks.slack.com/services/ then your path', 'https://hooks.slack.com/apps/T0A1B2C3D', 'https://api.slack.com/services/T0/B0/abc'],
  },
  SLACK_TOKEN: {
    redacts: [
      ['SLACK_BOT=xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'SLACK_BOT=[REDACTED:SLACK_TOKEN]'],
      ['user xoxp-1234567890-1234567890-1234567890123-0123456789abcdef0123456789abcdef!', 'user [REDACTED:SLACK_TOKEN]!'],
      ['legacy xoxa-2-123456789012 xoxo-123456789012 xoxs-123456789012 xoxr-123456789012', 'legacy [REDACTED:SLACK_TOKEN] [REDACTED:SLACK_TOKEN] [REDACTED:SLACK_TOKEN] [REDACTED:SLACK_TOKEN]'],
      ['refresh xoxe-1-My0xLTEyMzQ1Njc4OTA and xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTA', 'refresh [REDACTED:SLACK_TOKEN] and xoxe.[REDACTED:SLACK_TOKEN]'],
      ['web xoxc-1234567890-abcdef cookie d=xoxd-aBcDeFgHiJkL', 'web [REDACTED:SLACK_TOKEN] cookie d=[REDACTED:SLACK_TOKEN]'],
      ['SLACK_APP_TOKEN=xapp-1-A0123ABCDEF-1234567890123-abcdef0123', 'SLACK_APP_TOKEN=[REDACTED:SLACK_TOKEN]'],
      // the shortest: ten characters after the dash
      ['x xoxb-12345678a9 y', 'x [REDACTED:SLACK_TOKEN] y'],
    ],
    misses: [
      'x xoxb-12345678a y', // nine characters after the dash
      'xoxz-1234567890ab', // not a Slack token type
      'xoxb_1234567890ab', // underscore, not a dash
      'axoxb-1234567890ab', // no word boundary before
      'xapp_1-1234567890', // app tokens use a dash
      'ABCxapp-1-1234567890',
    ],
  },
  GITHUB_TOKEN: {
    redacts: [
      [`GH ghp_${alnum(36)} x`, 'GH [REDACTED:GITHUB_TOKEN] x'],
      [`gho_${alnum(36, 1)},ghu_${alnum(36, 2)},ghs_${alnum(36, 3)},ghr_${alnum(36, 4)}`, '[REDACTED:GITHUB_TOKEN],[REDACTED:GITHUB_TOKEN],[REDACTED:GITHUB_TOKEN],[REDACTED:GITHUB_TOKEN]'],
      [`longest ghp_${alnum(255)}.`, 'longest [REDACTED:GITHUB_TOKEN].'],
      // fine-grained: github_pat_ + 22 characters + "_" + 59 characters
      [`GITHUB_PAT=github_pat_11ABCDEFG0${alnum(12)}_${alnum(59, 5)} end`, 'GITHUB_PAT=[REDACTED:GITHUB_TOKEN] end'],
      [`shortest github_pat_${alnum(22)}`, 'shortest [REDACTED:GITHUB_TOKEN]'],
    ],
    misses: [
      `ghp_${alnum(35)}`, // one character short
      `ghp_${alnum(256)}`, // longer than any GitHub token
      `ghx_${alnum(36)}`,
      `ghp-${alnum(36)}`,
      `xghp_${alnum(36)}`,
      `github_pat_${alnum(21)}`,
      `github_pat_${alnum(21)}-${alnum(20)}`,
      `my_github_pat_${alnum(30)}`,
    ],
  },
  JWT: {
    redacts: [
      [`id_token ${JWT_HEAD}.${JWT_BODY}.${JWT_SIG}`, 'id_token [REDACTED:JWT]'],
      [`jwt="${JWT_HEAD}.${JWT_BODY}.abc-_9"`, 'jwt="[REDACTED:JWT]"'],
      ['t=eyJa-_c9Z.eyJb-_d8Z.e-_f7g then', 't=[REDACTED:JWT] then'],
    ],
    misses: [
      `${JWT_HEAD}.${JWT_BODY}.abcde`, // signature of five characters
      `eyJabcde.${JWT_BODY}.${JWT_SIG}`, // header of five after eyJ
      `${JWT_HEAD}.eyJabcde.${JWT_SIG}`,
      `${JWT_HEAD}.abcdefghij.${JWT_SIG}`, // payload not JSON
      `xeyJhbGciOiJIUzI1NiJ9.${JWT_BODY}.${JWT_SIG}`,
      `${JWT_HEAD}.${JWT_BODY}`,
    ],
  },
  AWS_ACCESS_KEY_ID: {
    redacts: [
      ['key AKIAIOSFODNN7EXAMPLE here', 'key [REDACTED:AWS_ACCESS_KEY_ID] here'],
      ['"AccessKeyId": "ASIAY34FZKBOKMUTVV7A",', '"AccessKeyId": "[REDACTED:AWS_ACCESS_KEY_ID]",'],
    ],
    misses: ['AKIAIOSFODNN7EXAMPL', 'AKIAIOSFODNN7EXAMPLEX', 'akiaiosfodnn7example', 'AKIAIOSFODNN7exampl', 'XAKIAIOSFODNN7EXAMPLE', 'AIDAIOSFODNN7EXAMPLE'],
  },
  AWS_SECRET_ACCESS_KEY: {
    redacts: [
      [`aws_secret_access_key = ${AWS_SECRET}`, 'aws_secret_access_key = [REDACTED:AWS_SECRET_ACCESS_KEY]'],
      [`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\nnext`, 'AWS_SECRET_ACCESS_KEY=[REDACTED:AWS_SECRET_ACCESS_KEY]\nnext'],
      [`"SecretAccessKey": "${AWS_SECRET}",`, '"SecretAccessKey": "[REDACTED:AWS_SECRET_ACCESS_KEY]",'],
      [`secretAccessKey: '${AWS_SECRET}'`, "secretAccessKey: '[REDACTED:AWS_SECRET_ACCESS_KEY]'"],
    ],
    misses: [
      // 39 and 41 characters are not AWS secret keys; the general key=value rule still hides them
      [`aws_secret_access_key=${AWS_SECRET.slice(1)}`, 'aws_secret_access_key=[REDACTED:SECRET]'],
      [`aws_secret_access_key=${AWS_SECRET}A`, 'aws_secret_access_key=[REDACTED:SECRET]'],
      `SecretAccessKeyId: ${AWS_SECRET}`,
    ],
  },
  AUTHORIZATION: {
    redacts: [
      ['> Authorization: Basic dXNlcjpwYXNzd29yZA==', '> Authorization: Basic [REDACTED:AUTHORIZATION]'],
      ['Authorization: 0123456789abcdef', 'Authorization: [REDACTED:AUTHORIZATION]'],
      [`curl -H 'authorization: token abc123def' https://x`, `curl -H 'authorization: token [REDACTED:AUTHORIZATION]' https://x`],
      ['Proxy-Authorization: Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1', 'Proxy-Authorization: Negotiate [REDACTED:AUTHORIZATION]'],
      [
        'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
        'Authorization: AWS4-HMAC-SHA256 [REDACTED:AUTHORIZATION]',
      ],
    ],
    misses: ['Authorization:', 'grant_type=authorization_code&code_verifier=x', 'Authorization: [REDACTED:X]', 'authorization required'],
  },
  BEARER_TOKEN: {
    redacts: [
      ['curl: Bearer eyZ0aGlzaXNhdG9rZW4xMjM0NTY3', 'curl: Bearer [REDACTED:BEARER_TOKEN]'],
      ['sent bearer  abcdefgh12== ok', 'sent bearer [REDACTED:BEARER_TOKEN] ok'],
      ['BEARER\tab-._~+/ yes', 'BEARER [REDACTED:BEARER_TOKEN] yes'],
    ],
    misses: ['Bearer abcdefg', 'WWW-Authenticate: Bearer realm="example"', 'unbearer abcdefghijkl', 'Bearer [REDACTED:X]', 'bearer_abcdefghijkl'],
  },
  URL_PASSWORD: {
    redacts: [
      ['postgres://ops:s3cr3t@db-1:5432/erp', 'postgres://ops:[REDACTED:URL_PASSWORD]@db-1:5432/erp'],
      ['MONGO=mongodb+srv://admin:pa55:w0rd@cluster0.example.net/db', 'MONGO=mongodb+srv://admin:[REDACTED:URL_PASSWORD]@cluster0.example.net/db'],
      ['REDIS_URL=redis://:p4ssw0rd@cache:6379/0', 'REDIS_URL=redis://:[REDACTED:URL_PASSWORD]@cache:6379/0'],
      ['"amqp://guest:guest@localhost:5672/"', '"amqp://guest:[REDACTED:URL_PASSWORD]@localhost:5672/"'],
    ],
    misses: [
      'https://ops@example.com/',
      'https://example.com:8443/x@y',
      'ssh://git@github.com:22/repo.git',
      'postgres://ops:@db/erp',
      'postgres://ops:[REDACTED:X]@db/erp',
      'https://example.com/a?u=b:c@d',
    ],
  },
  CLI_FLAG: {
    redacts: [
      ['mysql --password hunter2 -h db', 'mysql --password [REDACTED:PASSWORD] -h db'],
      ['pg --passwd  hunter2', 'pg --passwd  [REDACTED:PASSWORD]'],
      ['vault login --token s.AbCdEf123', 'vault login --token [REDACTED:TOKEN]'],
      ['cli --api-key 12ab34cd --secret\tz9y8 --x', 'cli --api-key [REDACTED:API_KEY] --secret\t[REDACTED:SECRET] --x'],
      ['--PASSWORD Hunter2', '--PASSWORD [REDACTED:PASSWORD]'],
    ],
    misses: ['pg_dump --password-file /run/secrets/db', 'limit --tokens 5', '--password [REDACTED:X]', '--password', 'psql --no-password -h db'],
  },
  KEY_VALUE: {
    redacts: [
      ['DB_PASSWORD=hunter2 next', 'DB_PASSWORD=[REDACTED:PASSWORD] next'],
      ["password='hunter 2' x", "password='[REDACTED:PASSWORD]' x"],
      ['{"password": "hunter2", "n": 1}', '{"password": "[REDACTED:PASSWORD]", "n": 1}'],
      ['passwd: s3cret!', 'passwd: [REDACTED:PASSWORD]'],
      ['passphrase="correct horse"', 'passphrase="[REDACTED:PASSWORD]"'],
      ['token2=abcdef123&x=1', 'token2=[REDACTED:TOKEN]&x=1'],
      ['https://x/cb?access_token=abc.def&state=1', 'https://x/cb?access_token=[REDACTED:TOKEN]&state=1'],
      ['client_secret: abc123', 'client_secret: [REDACTED:SECRET]'],
      ['x-api-key: 12345abcde', 'x-api-key: [REDACTED:API_KEY]'],
      ['apikey=Zz9; private_key = k3y; SECRET_KEY=s', 'apikey=[REDACTED:API_KEY]; private_key = [REDACTED:SECRET]; SECRET_KEY=[REDACTED:SECRET]'],
      ['password123=x', 'password123=[REDACTED:PASSWORD]'],
      // values that only begin or end like a harmless word are secrets
      ['password=HUNTERNO) password=NO)x1 password=casino password=nobody42', 'password=[REDACTED:PASSWORD] password=[REDACTED:PASSWORD] password=[REDACTED:PASSWORD] password=[REDACTED:PASSWORD]'],
    ],
    misses: [
      'password=""', "password: ''", 'Access denied for user (using password: YES)', 'password: NO)',
      'secret: true', 'password: none', 'secret: Required', 'token=null',
      'max_tokens: 4096', 'passwordless=true', 'token_count=42', 'password1234=x',
      'password=[REDACTED:X]', 'password="[REDACTED:X]"',
    ],
  },
  STRIPE_KEY: {
    redacts: [
      ['STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc ok', 'STRIPE=[REDACTED:STRIPE_KEY] ok'],
      ['sk_test_0123456789 rk_live_51HqLyjWDarjtT1 rk_test_51HqLyjWDarj', '[REDACTED:STRIPE_KEY] [REDACTED:STRIPE_KEY] [REDACTED:STRIPE_KEY]'],
    ],
    misses: ['sk_live_012345678', 'pk_live_4eC39HqLyjWDarjtT1zdp7dc', 'ask_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_prod_4eC39HqLyjWDarjtT1zdp7dc'],
  },
  GOOGLE_API_KEY: {
    redacts: [
      [`url?key=${GOOGLE}&x`, 'url?key=[REDACTED:GOOGLE_API_KEY]&x'],
      [`"${GOOGLE}"`, '"[REDACTED:GOOGLE_API_KEY]"'],
    ],
    misses: [GOOGLE.slice(0, -1), `${GOOGLE}x`, `${GOOGLE}-`, `x${GOOGLE}`, GOOGLE.replace('AIza', 'aiza')],
  },
  DOCKER_AUTH: {
    redacts: [
      ['{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}', '{"auths":{"ghcr.io":{"auth":"[REDACTED:DOCKER_AUTH]"}}}'],
      ['\t\t\t"auth": "dXNlcjpwYXNz"', '\t\t\t"auth": "[REDACTED:DOCKER_AUTH]"'],
      ['"auth" :\t"dXNl"', '"auth" :\t"[REDACTED:DOCKER_AUTH]"'],
    ],
    misses: ['"auth":"abc"', '"auth": "[REDACTED:X]"', '"auth": "not base64!"', '"oauth": "dXNlcjpwYXNz"', '"auth": 1234'],
  },
  NETRC_PASSWORD: {
    redacts: [
      ['machine api.example.com login ops password s3cr3tpw', 'machine api.example.com login ops password [REDACTED:PASSWORD]'],
      ['machine  git.example.com \tpassword\t ghtoken123', 'machine  git.example.com \tpassword\t [REDACTED:PASSWORD]'],
      ['machine h password pw1 login u', 'machine h password [REDACTED:PASSWORD] login u'],
      ['login  ops  password  pw2', 'login  ops  password  [REDACTED:PASSWORD]'],
      ['machine h login u account  acct  password pw3', 'machine h login u account  acct  password [REDACTED:PASSWORD]'],
      ['default  password pw4', 'default  password [REDACTED:PASSWORD]'],
      ['machine api.example.com\n  login ops\n  password s3cr3tpw\n', 'machine api.example.com\n  login ops\n  password [REDACTED:PASSWORD]\n'],
      ['password s3cr3tpw  \nnext', 'password [REDACTED:PASSWORD]  \nnext'],
      ['\t password  pw5', '\t password  [REDACTED:PASSWORD]'],
    ],
    misses: [
      'password authentication failed for user "ops"',
      'login refused by PostgreSQL: password authentication failed',
      'Password:',
      'x password s3cr3tpw',
      'nodefault password pw4',
      'relogin u password p',
      'machine h login u password [REDACTED:X]',
      'the default:password s3cr3t',
    ],
  },
  CURL_USER: {
    redacts: [
      ['curl -u ops:s3cr3tpw https://x', 'curl -u ops:[REDACTED:PASSWORD] https://x'],
      ['curl -s -X POST -u ops:pw1 https://x', 'curl -s -X POST -u ops:[REDACTED:PASSWORD] https://x'],
      ['curl -uops:pw2 https://x', 'curl -uops:[REDACTED:PASSWORD] https://x'],
      ["curl --user 'ops:s3cr3tpw' https://x", "curl --user 'ops:[REDACTED:PASSWORD]' https://x"],
      ['curl --user  ops:pw3 x', 'curl --user  ops:[REDACTED:PASSWORD] x'],
      ['curl --user=ops:pw4 x', 'curl --user=ops:[REDACTED:PASSWORD] x'],
      ['curl -u :azdoPAT123 https://dev.azure.com/org', 'curl -u :[REDACTED:PASSWORD] https://dev.azure.com/org'],
      ['curl -x http://proxy:3128 -U puser:ppw https://x', 'curl -x http://proxy:3128 -U puser:[REDACTED:PASSWORD] https://x'],
      ['curl --proxy-user "puser:ppw2" https://x', 'curl --proxy-user "puser:[REDACTED:PASSWORD]" https://x'],
    ],
    misses: [
      'curl -u ops https://x',
      'curl https://x | sort -u a:b',
      'curl https://x; sort -u a:b',
      'curl https://x\nsort -u a:b',
      'sort -u a:b',
      'curly -u ops:pw',
      'curl -d a:b https://x',
      'curl -u ops:[REDACTED:X] https://x',
      'curl -A "agent" --user-agent ops:pw https://x',
    ],
  },
  MYSQL_PASSWORD: {
    redacts: [
      ['mysql -h db -u root -ps3cr3tpw erp', 'mysql -h db -u root -p[REDACTED:PASSWORD] erp'],
      ['mariadb -u root\t-pS3cr3t|head', 'mariadb -u root\t-p[REDACTED:PASSWORD]|head'],
      ['mysqldump -uroot -pS3cr3t --all-databases > dump.sql', 'mysqldump -uroot -p[REDACTED:PASSWORD] --all-databases > dump.sql'],
    ],
    misses: [
      'mysql -h db -p',
      'mysql -h db -u root -p erp',
      'mysql -h db -P 3306',
      'mysql -h db-prod erp',
      'mysql -h db; ls -pla',
      'mysql -h db\nls -pla',
      'mysqlsh -pfoo',
      'mysql -h db -p[REDACTED:X]',
    ],
  },
};

const rule = (name: string): PatternRule => {
  const r = PATTERN_RULES.find((x) => x.name === name);
  assert.ok(r, `no rule ${name}`);
  return r;
};
/** The rule alone, without the others (a broader rule must not be what makes an example pass). */
const alone = (r: PatternRule, text: string): string => text.replace(r.regex, r.replace as (m: string, ...g: string[]) => string);
const redact = createRedactor([]);

describe('credential shapes (patterns.ts)', () => {
  it('every rule has examples here, under its own unique name', () => {
    const names = PATTERN_RULES.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual([...names].sort(), Object.keys(SHAPES).sort());
  });

  it('every hint is a non-empty lower-case literal found in a real match, and every match carries a hint', () => {
    // The redactor runs a rule only where one of its hints occurs: an empty hint gates nothing, an upper-case
    // or unused one never lets the rule run.
    for (const r of PATTERN_RULES) {
      const inputs = (SHAPES[r.name]?.redacts ?? []).map(([input]) => input.toLowerCase());
      assert.ok(r.hints.length > 0, r.name);
      for (const h of r.hints) {
        assert.ok(h.length > 0 && h === h.toLowerCase(), `${r.name}: hint "${h}"`);
        assert.ok(inputs.some((i) => i.includes(h)), `${r.name}: hint "${h}" in no example`);
      }
      for (const i of inputs) assert.ok(r.hints.some((h) => i.includes(h)), `${r.name}: no hint in ${i}`);
    }
  });

  for (const [name, shape] of Object.entries(SHAPES)) {
    describe(name, () => {
      it('replaces the whole credential, keeping what is around it', () => {
        for (const [input, output] of shape.redacts) {
          assert.equal(alone(rule(name), input), output, `${name} alone: ${input}`);
          assert.equal(redact(input), output, `redactor: ${input}`);
        }
      });
      it('leaves near misses alone', () => {
        for (const miss of shape.misses) {
          const [input, output] = typeof miss === 'string' ? [miss, miss] : miss;
          assert.equal(alone(rule(name), input), input, `${name} alone: ${input}`);
          assert.equal(redact(input), output, `redactor: ${input}`);
        }
      });
    });
  }
});
