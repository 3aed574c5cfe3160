// Redaction of secret values and credential shapes, whole and streamed in arbitrary chunks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor } from '../../src/core/redact/redactor.js';
import { createStreamRedactor } from '../../src/core/redact/streamRedactor.js';

const KEY_BLOCK = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDn3l0Gx3Zr0s6mJt2fV4mOQ3kq9Y2Yz9pQh1rL7Wc5ZwAAAJgAAAAAAAAA',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

describe('createRedactor', () => {
  const redact = createRedactor([
    { name: 'SLACK_WEBHOOK_URL', value: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX' },
    { name: 'DB_PASSWORD', value: 'p@ss w0rd/"x"' },
  ]);

  it('replaces secret values, also URL-encoded and JSON-escaped, by their variable name', () => {
    assert.equal(redact('webhook https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX ok'), 'webhook [REDACTED:SLACK_WEBHOOK_URL] ok');
    assert.equal(redact('raw p@ss w0rd/"x" end'), 'raw [REDACTED:DB_PASSWORD] end');
    assert.equal(redact('url ?pw=p%40ss%20w0rd%2F%22x%22&a=1'), 'url ?pw=[REDACTED:DB_PASSWORD]&a=1');
    assert.equal(redact('{"pw":"p@ss w0rd/\\"x\\""}'), '{"pw":"[REDACTED:DB_PASSWORD]"}');
  });

  const cases: Array<[string, string, string]> = [
    ['bearer', 'curl: Bearer eyZ0aGlzaXNhdG9rZW4xMjM0NTY3', 'curl: Bearer [REDACTED:BEARER_TOKEN]'],
    ['authorization header', '> Authorization: Basic dXNlcjpwYXNzd29yZA==', '> Authorization: Basic [REDACTED:AUTHORIZATION]'],
    ['authorization in curl -H', `curl -H "Authorization: token abc123def" https://x`, `curl -H "Authorization: token [REDACTED:AUTHORIZATION]" https://x`],
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE here', 'key [REDACTED:AWS_ACCESS_KEY_ID] here'],
    ['AWS secret key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED:AWS_SECRET_ACCESS_KEY]'],
    ['AWS secret key in JSON', '"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",', '"SecretAccessKey": "[REDACTED:AWS_SECRET_ACCESS_KEY]",'],
    ['private key block', `before\n${KEY_BLOCK}\nafter`, 'before\n[REDACTED:PRIVATE_KEY]\nafter'],
    ['unterminated private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA', '[REDACTED:PRIVATE_KEY]'],
    ['password=', 'DB_PASSWORD=hunter2 next', 'DB_PASSWORD=[REDACTED:PASSWORD] next'],
    ['passwd:', 'passwd: s3cret!', 'passwd: [REDACTED:PASSWORD]'],
    ['token=', 'https://x/cb?access_token=abc.def&state=1', 'https://x/cb?access_token=[REDACTED:TOKEN]&state=1'],
    ['api_key JSON', '{"api_key": "sk-live-1234", "n": 1}', '{"api_key": "[REDACTED:API_KEY]", "n": 1}'],
    ['--password flag', 'mysql --password hunter2 -h db', 'mysql --password [REDACTED:PASSWORD] -h db'],
    ['URL credentials', 'postgres://ops:s3cr3t@db-1:5432/erp', 'postgres://ops:[REDACTED:URL_PASSWORD]@db-1:5432/erp'],
    ['Slack webhook', 'POST https://hooks.slack.com/services/T0A/B0B/abcdefABCDEF123', 'POST [REDACTED:SLACK_WEBHOOK]'],
    ['GitHub token', 'GH ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 x', 'GH [REDACTED:GITHUB_TOKEN] x'],
    [
      'JWT',
      'id_token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'id_token [REDACTED:JWT]',
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`redacts ${name}`, () => assert.equal(redact(input), expected));
  }

  it('leaves ordinary output alone', () => {
    const text = 'Filesystem Size Used\n/dev/sda1 40G 12G\nPWD=/home/ops\nPassword:\ntokens left: \n';
    assert.equal(redact(text), text);
  });

  it('ignores values too short to search for safely', () => {
    assert.equal(createRedactor([{ name: 'X', value: 'ab' }])('abc ab'), 'abc ab');
  });
});

describe('createStreamRedactor', () => {
  const secret = 'correct-horse-battery-staple';
  const redact = createRedactor([{ name: 'PASS', value: secret }]);
  const text = `line one\nthe secret is ${secret} ok\nAuthorization: Bearer abcdefghijklmnop\n${KEY_BLOCK}\ntail ${secret}`;
  const expected = redact(text);

  it('gives the same result as whole-text redaction for every split into two chunks', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      const s = createStreamRedactor(redact);
      const out = s.push(text.slice(0, cut)) + s.push(text.slice(cut)) + s.end();
      assert.equal(out, expected, `cut at ${cut}`);
    }
  });

  it('never shows a secret, even in pieces, when fed one character at a time', () => {
    const s = createStreamRedactor(redact);
    const pieces: string[] = [];
    for (const ch of text) pieces.push(s.push(ch));
    pieces.push(s.end());
    assert.equal(pieces.join(''), expected);
    assert.ok(!pieces.join('').includes('horse'));
  });

  it('on flush shows a quiet partial line but holds back a possible secret start', () => {
    const s = createStreamRedactor(redact);
    assert.equal(s.push('Enter value: correct-hor'), '');
    assert.equal(s.flush(), 'Enter value: ');
    assert.equal(s.push('se-battery-staple\n'), '[REDACTED:PASS]\n');
  });

  it('drops an overlong private key block instead of holding it without bound', () => {
    const s = createStreamRedactor(redact, { maxKeyBlock: 100 });
    let out = s.push('x\n-----BEGIN RSA PRIVATE KEY-----\n');
    for (let i = 0; i < 10; i++) out += s.push('MIIEpAIBAAKCAQEA0123456789abcdef\n');
    out += s.push('-----END RSA PRIVATE KEY-----\ny\n') + s.end();
    assert.equal(out, 'x\n[REDACTED:PRIVATE_KEY]\ny\n');
  });
});

describe('already redacted and harmless values', () => {
  it('leaves an already redacted Authorization value alone and keeps MySQL "using password: YES"', () => {
    const r = createRedactor([{ name: 'X', value: 'supersecretvalue' }]);
    assert.equal(r('"authorization": "[REDACTED:X]"'), '"authorization": "[REDACTED:X]"');
    assert.equal(r('Authorization: [REDACTED:X]'), 'Authorization: [REDACTED:X]');
    assert.equal(r('Access denied for user (using password: YES)'), 'Access denied for user (using password: YES)');
    assert.equal(r('"authorization": "Bearer abcdefghijklmnop"'), '"authorization": "Bearer [REDACTED:AUTHORIZATION]"');
  });
});
