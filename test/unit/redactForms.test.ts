// The redactor's options and the forms of a declared secret one by one (docs/MUTATION.md, redact survivors).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor } from '../../src/core/redact/redactor.js';
import { createStreamRedactor } from '../../src/core/redact/streamRedactor.js';

const KEY_BLOCK = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0123456789abcdef\n-----END RSA PRIVATE KEY-----';

describe('redactor options and limits', () => {
  it('with patterns off, only declared secrets are replaced: no key blocks, no token shapes', () => {
    const r = createRedactor([{ name: 'S', value: 'hunter22' }], { patterns: false });
    assert.equal(r(KEY_BLOCK), KEY_BLOCK);
    assert.equal(r('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer abcdefghijklmnop');
    assert.equal(r('pw hunter22'), 'pw [REDACTED:S]');
    assert.equal(createRedactor([])(KEY_BLOCK), '[REDACTED:PRIVATE_KEY]');
  });

  it('a whole secret at the end of a quiet partial line is shown redacted, not held back', () => {
    const r = createRedactor([{ name: 'PASS', value: 'correct-horse-battery-staple' }]);
    assert.equal(r.partialSecretAtEnd('pw correct-horse-battery-staple'), 0);
    assert.equal(r.partialSecretAtEnd('pw correct-horse'), 'correct-horse'.length);
    const s = createStreamRedactor(r);
    assert.equal(s.push('pw correct-horse-battery-staple'), '');
    assert.equal(s.flush(), 'pw [REDACTED:PASS]');
  });

  it('without secrets nothing is held back on flush', () => {
    const r = createRedactor([]);
    assert.equal(r.partialSecretAtEnd('a S'), 0);
    assert.equal(r.partialSecretAtEnd('Stryker'), 0);
    const s = createStreamRedactor(r);
    assert.equal(s.push('Reply: S'), '');
    assert.equal(s.flush(), 'Reply: S');
  });

  it('maxSecretLength covers the longest percent-encoded form; maxMultilineSecretLength only multi-line values', () => {
    for (const value of ['ab', '€', 'x€ y', 'p@ss/"x"']) {
      const r = createRedactor([{ name: 'S', value }]);
      const longest = [...value].map((c) => [...Buffer.from(c)].length * 3).reduce((a, b) => a + b, 0);
      assert.equal(r.maxSecretLength, longest, value);
      assert.ok(r.maxSecretLength >= encodeURIComponent(value).length);
      assert.equal(r.maxMultilineSecretLength, 0);
    }
    const ml = createRedactor([{ name: 'A', value: 'short' }, { name: 'B', value: 'ab\ncdef' }, { name: 'C', value: 'x' }]);
    assert.equal(ml.maxMultilineSecretLength, 16); // twice "ab\r\ncdef"
  });
});

describe('forms of a declared secret', () => {
  it('a secret containing another is replaced whole, whatever the declaration order', () => {
    const pairs = [
      [{ name: 'SHORT', value: 'abc' }, { name: 'LONG', value: 'abcdef' }],
      [{ name: 'LONG', value: 'abcdef' }, { name: 'SHORT', value: 'abc' }],
      [{ name: 'SHORT', value: 'abc' }, { name: 'MID', value: 'abcd' }, { name: 'LONG', value: 'abcdef' }],
      [{ name: 'MID', value: 'abcd' }, { name: 'SHORT', value: 'abc' }, { name: 'LONG', value: 'abcdef' }],
    ];
    for (const secrets of pairs) {
      const r = createRedactor(secrets);
      assert.equal(r('x abcdef y abc'), 'x [REDACTED:LONG] y [REDACTED:SHORT]', secrets.map((s) => s.name).join());
    }
  });

  it('"+" stands for a space only', () => {
    const r = createRedactor([{ name: 'S', value: 'abc' }, { name: 'T', value: 'a b' }]);
    assert.equal(r('x +++ a+c abc a+b'), 'x +++ a+c [REDACTED:S] [REDACTED:T]');
  });

  it('a value with surrounding whitespace is found trimmed, also in base64', () => {
    const r = createRedactor([{ name: 'S', value: '  padded-secret-value\n' }]);
    assert.equal(r('got padded-secret-value.'), 'got [REDACTED:S].');
    for (const prefix of ['', 'u', 'us']) {
      const out = r(`b64 ${Buffer.from(`${prefix}padded-secret-value!`).toString('base64')}`);
      assert.ok(out.includes('[REDACTED:S]'), `prefix "${prefix}": ${out}`);
    }
  });

  it('a whitespace-only value is found verbatim and matches nothing else', () => {
    const r = createRedactor([{ name: 'W', value: '   ' }]);
    assert.equal(r('ab'), 'ab');
    assert.equal(r('a   b'), 'a[REDACTED:W]b');
  });

  it('a secret declared with CRLF is found whole with LF line endings', () => {
    const r = createRedactor([{ name: 'K', value: 'first-line\r\nsecond-line' }]);
    assert.equal(r('x first-line\nsecond-line y'), 'x [REDACTED:K] y');
    assert.equal(r('x first-line\r\nsecond-line y'), 'x [REDACTED:K] y');
  });

  it('lines of a multi-line secret: 4 characters or more after trimming, found without their indentation', () => {
    const r = createRedactor([{ name: 'K', value: 'first-line-xx\n   ab\n    indented-line\nabcd' }]);
    assert.equal(r('x indented-line y'), 'x [REDACTED:K] y');
    assert.equal(r('only abcd here'), 'only [REDACTED:K] here');
    assert.equal(r('ab cd   ab'), 'ab cd   ab');
  });

  it('JSON with \\u escapes and escaped slashes together; a slash is never dropped', () => {
    const secret = 'pä/ss/word';
    const r = createRedactor([{ name: 'S', value: secret }]);
    const json = JSON.stringify({ s: secret }).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/');
    assert.equal(r(json), '{"s":"[REDACTED:S]"}');
    assert.equal(r('päss word pässword'), 'päss word pässword');
  });

  it('base64 inside a larger value: the characters that depend on following data are not required', () => {
    const secret = 'abcdefgh';
    const r = createRedactor([{ name: 'S', value: secret }]);
    for (const prefix of ['', 'u', 'us']) {
      for (const suffix of ['!', '?x', 'tail data']) {
        const encoded = Buffer.from(prefix + secret + suffix).toString('base64');
        const out = r(`v ${encoded}`);
        assert.ok(out.includes('[REDACTED:S]'), `"${prefix}" + secret + "${suffix}": ${out}`);
      }
    }
  });

  it('a 5-byte secret is found in base64 (a 6-character core)', () => {
    const r = createRedactor([{ name: 'S', value: 'hello' }]);
    assert.ok(r(`Basic ${Buffer.from('hello!!!').toString('base64')}`).includes('[REDACTED:S]'));
    assert.ok(r(`Basic ${Buffer.from('xhello!!').toString('base64')}`).includes('[REDACTED:S]'));
  });
});

describe('terminal sequences removed before redaction', () => {
  const r = createRedactor([{ name: 'T', value: 'hunter22' }]);

  it('DCS strings and charset or keypad escapes do not hide a secret', () => {
    assert.equal(r('hunt\u001bPq#0;1\u001b\\er22'), '[REDACTED:T]');
    assert.equal(r('hunt\u001b(Ber22'), '[REDACTED:T]');
    assert.equal(r('hunt\u001b=er22'), '[REDACTED:T]');
  });

  it('text made only of control characters comes out empty', () => {
    assert.equal(r('\u0007'), '');
    assert.equal(r('\u0000\u001b'), '');
  });
});
