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

  it('redacts declared secrets of any length', () => {
    assert.equal(createRedactor([{ name: 'PIN', value: '42' }])('pin 42, again 42'), 'pin [REDACTED:PIN], again [REDACTED:PIN]');
    assert.equal(createRedactor([{ name: 'K', value: 'q' }])('q!'), '[REDACTED:K]!');
    assert.equal(createRedactor([{ name: 'E', value: '' }])('nothing'), 'nothing');
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

describe('secrets in the forms a shell or a request makes of them', () => {
  const secret = 'pä ss/w+rd:"x"&y=1';
  const redact = createRedactor([{ name: 'S', value: secret }]);
  const hidden = (text: string): void => {
    const out = redact(text);
    assert.ok(out.includes('[REDACTED:S]'), `not redacted: ${text} -> ${out}`);
    for (const leak of ['ss/w', 'ss%2Fw', 'ss%2fw', 'w+rd', 'w%2Brd']) assert.ok(!out.includes(leak), `${leak} left in ${out}`);
  };

  it('percent-encoded by encodeURIComponent, a form encoder, the URL parser, curl, in either hex case', () => {
    hidden(`GET /?q=${encodeURIComponent(secret)}`);
    hidden(`body ${new URLSearchParams({ q: secret }).toString()}`);
    hidden(new URL(`https://example.test/p?q=${secret}`).href);
    hidden(new URL(`https://example.test/${secret}`).href);
    hidden(`q=${encodeURIComponent(secret).toLowerCase()}`);
    hidden(`q=${encodeURIComponent(secret).replace(/%20/g, '+')}`);
  });

  it('JSON-escaped, also with \\u escapes and escaped slashes', () => {
    hidden(JSON.stringify({ s: secret }));
    hidden(JSON.stringify({ s: secret }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    hidden(JSON.stringify({ s: secret }).replace(/\//g, '\\/'));
  });

  it('base64 and base64url, alone and inside a larger encoded value at every alignment', () => {
    for (const prefix of ['', 'u', 'us', 'user:']) {
      for (const enc of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(prefix + secret + '\n').toString(enc);
        const out = redact(`Authorisation-ish ${encoded}`);
        assert.ok(out.includes('[REDACTED:S]'), `${enc} with prefix "${prefix}": ${out}`);
        assert.ok(!Buffer.from(out.split(' ').pop()!, enc).toString().includes('ss/w'));
      }
    }
  });

  it('multi-line secrets whole (LF and CRLF) and line by line', () => {
    const key = 'line-one-AAAA\nline-two-BBBB\nline-three-CCCC';
    const r = createRedactor([{ name: 'KEY', value: key }]);
    assert.equal(r(`x\n${key}\ny`), 'x\n[REDACTED:KEY]\ny');
    assert.equal(r(`x\r\n${key.replace(/\n/g, '\r\n')}\r\ny`), 'x\r\n[REDACTED:KEY]\r\ny');
    assert.equal(r('only line-two-BBBB here'), 'only [REDACTED:KEY] here');
    const s = createStreamRedactor(r);
    const text = `a\n${key}\nb\n`;
    for (let cut = 0; cut <= text.length; cut++) {
      const t = createStreamRedactor(r);
      const out = t.push(text.slice(0, cut)) + t.push(text.slice(cut)) + t.end();
      assert.ok(!/BBBB|AAAA|CCCC/.test(out), `cut at ${cut}: ${out}`);
    }
    assert.equal(s.push(text) + s.end(), 'a\n[REDACTED:KEY]\nb\n');
  });

  it('across terminal escape sequences and control characters (redaction runs on the stored text)', () => {
    const r = createRedactor([{ name: 'T', value: 'hunter22' }]);
    assert.equal(r('pw: hun\u001b[31mter\u001b[0m22!'), 'pw: [REDACTED:T]!');
    assert.equal(r('hunt\u001b]0;title\u0007er22'), '[REDACTED:T]');
    assert.equal(r('hunt\u0000er22'), '[REDACTED:T]');
    assert.equal(r('GH ghp_aBcDeFgHiJkLmNoPq\u001b[0mRsTuVwXyZ0123456789 x'), 'GH [REDACTED:GITHUB_TOKEN] x');
  });

  it('a token that straddles the release point of an overlong line', () => {
    const r = createRedactor([{ name: 'S', value: 'secret-value-1234' }]);
    const token = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789';
    // Wherever the token starts around the points where a line over 16 KiB is released in pieces.
    for (let at = 15_000; at < 21_000; at += 17) {
      const filler = `${'word '.repeat(Math.ceil(at / 5)).slice(0, at - 1)} `;
      const line = `${filler}${token} and secret-value-1234 and token=abcdef123 ${'x '.repeat(2000)}\n`;
      const s = createStreamRedactor(r);
      let out = '';
      for (let i = 0; i < line.length; i += 4096) out += s.push(line.slice(i, i + 4096));
      out += s.end();
      assert.ok(!out.includes('aBcDeFgHiJ') && !out.includes('0123456789') && !out.includes('value-1234') && !out.includes('abcdef123'), `token at ${at}`);
    }
  });
});

describe('token shapes', () => {
  const redact = createRedactor([]);
  const cases: Array<[string, string, string]> = [
    ['Stripe secret key', 'STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc ok', 'STRIPE=[REDACTED:STRIPE_KEY] ok'],
    ['Stripe restricted key', 'key rk_test_51HqLyjWDarjtT1zdp7dcXYZ', 'key [REDACTED:STRIPE_KEY]'],
    ['Google API key', 'url?key=AIzaSyA-1234567890abcdefghijklmnopqrstu&x', 'url?key=[REDACTED:GOOGLE_API_KEY]&x'],
    ['docker auth', '{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}', '{"auths":{"ghcr.io":{"auth":"[REDACTED:DOCKER_AUTH]"}}}'],
    ['netrc', 'machine api.example.com login ops password s3cr3tpw', 'machine api.example.com login ops password [REDACTED:PASSWORD]'],
    ['netrc, one token a line', 'machine api.example.com\n  login ops\n  password s3cr3tpw\n', 'machine api.example.com\n  login ops\n  password [REDACTED:PASSWORD]\n'],
    ['curl -u', 'curl -u ops:s3cr3tpw https://x', 'curl -u ops:[REDACTED:PASSWORD] https://x'],
    ['curl --user', "curl --user 'ops:s3cr3tpw' https://x", "curl --user 'ops:[REDACTED:PASSWORD]' https://x"],
    ['mysql -p', 'mysql -h db -u root -ps3cr3tpw erp', 'mysql -h db -u root -p[REDACTED:PASSWORD] erp'],
  ];
  for (const [name, input, expected] of cases) {
    it(`redacts ${name}`, () => assert.equal(redact(input), expected));
  }

  it('never fires on ordinary words', () => {
    const text = 'max_tokens: 4096\npasswordless=true\ntoken_count=42\nsecret: true\ntokens: 12\nmysql -h db -p\nsort -u a:b\n'
      + 'login refused by PostgreSQL: password authentication failed for user "ops"\n';
    assert.equal(redact(text), text);
  });
});
