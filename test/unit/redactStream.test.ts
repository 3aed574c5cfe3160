// The stream redactor's rules one by one: when a line, a multi-line secret, a key block or an overlong line
// is released, held or dropped, and where an overlong line may be cut (docs/MUTATION.md, redact survivors).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor } from '../../src/core/redact/redactor.js';
import { createStreamRedactor } from '../../src/core/redact/streamRedactor.js';

const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
const END = '-----END RSA PRIVATE KEY-----';
const BODY = 'MIIEpAIBAAKCAQEA0123456789abcdef';
const KEY = '[REDACTED:PRIVATE_KEY]';

describe('stream redactor: lines and carriage returns', () => {
  const r = createRedactor([{ name: 'PASS', value: 'correct-horse-battery-staple' }]);

  it('releases complete lines on push, a lone line feed included', () => {
    const s = createStreamRedactor(r);
    assert.equal(s.push('\n'), '\n');
    assert.equal(s.push('hello\n'), 'hello\n');
    assert.equal(s.push('one\r\ntwo\r\n'), 'one\r\ntwo\r\n');
    assert.equal(s.push('PRIVATE KEY mentioned in prose\n'), 'PRIVATE KEY mentioned in prose\n');
  });

  it('releases progress lines ended by a carriage return, also at the very start', () => {
    const s = createStreamRedactor(r);
    assert.equal(s.push('\r50%'), '\r');
    assert.equal(s.push(' done\r'), '50% done\r');
    assert.equal(s.push('10%\r20'), '10%\r');
    assert.equal(s.end(), '20');
  });

  it('a second end() releases nothing again', () => {
    const s = createStreamRedactor(r);
    assert.equal(s.push('partial'), '');
    assert.equal(s.end(), 'partial');
    assert.equal(s.end(), '');
  });
});

describe('stream redactor: multi-line secrets', () => {
  // Lines shorter than 4 characters are not searched on their own: only holding the lines keeps them hidden.
  const r = createRedactor([{ name: 'ML', value: 'ab\ncd' }]);

  it('holds lines that may begin a multi-line secret until the secret can be seen whole', () => {
    assert.equal(r.maxMultilineSecretLength, 12); // twice the CRLF form "ab\r\ncd"
    const s = createStreamRedactor(r);
    const out = [s.push('x ab\n'), s.push('cd y\n'), s.end()];
    assert.equal(out.join(''), 'x [REDACTED:ML] y\n');
    assert.ok(!out[0]!.includes('ab'), out[0]);
  });

  it('holds across a CRLF even when the carriage return ends the chunk', () => {
    const s = createStreamRedactor(r);
    const out = s.push('0123456789\nab\r') + s.push('\ncd\n') + s.end();
    assert.equal(out, '0123456789\n[REDACTED:ML]\n');
  });

  it('a secret that begins with a line break is replaced whole, as in whole-text redaction', () => {
    const lead = createRedactor([{ name: 'ML', value: '\nab\ncd' }]);
    const s = createStreamRedactor(lead);
    const out = s.push('\n') + s.push('ab\n') + s.push('cd\n') + s.end();
    assert.equal(out, lead('\nab\ncd\n'));
    assert.equal(out, '[REDACTED:ML]\n');
  });

  it('a quiet stream still shows its partial line', () => {
    const s = createStreamRedactor(r);
    assert.equal(s.push('prompt> '), '');
    assert.equal(s.flush(), 'prompt> ');
  });

  it('a multi-line secret with long lines comes out as one tag, chunked at every line break', () => {
    const key = 'line-one-AAAA\nline-two-BBBB\nline-three-CCCC';
    const k = createRedactor([{ name: 'KEY', value: key }]);
    const s = createStreamRedactor(k);
    let out = s.push('a\n');
    for (const line of key.split('\n')) out += s.push(`${line}\n`);
    out += s.push('b\n') + s.end();
    assert.equal(out, 'a\n[REDACTED:KEY]\nb\n');
  });
});

describe('stream redactor: private key blocks', () => {
  const r = createRedactor([]);

  it('holds a key block of ordinary size until its END line, then releases one tag', () => {
    const s = createStreamRedactor(r);
    assert.equal(s.push(`x\n${BEGIN}\n${BODY}\n`), 'x\n');
    assert.equal(s.push(`${BODY}\n`), '');
    assert.equal(s.push(`${END}\ny\n`), `${KEY}\ny\n`);
  });

  it('holds a block of exactly maxKeyBlock characters, drops one a character longer', () => {
    const prefix = `${'p'.repeat(50)}\n`;
    const block = `${BEGIN}\n${BODY}\n`;
    const held = createStreamRedactor(r, { maxKeyBlock: block.length });
    assert.equal(held.push(prefix + block), prefix);
    assert.equal(held.push(`${END}\n`), `${KEY}\n`);
    const dropped = createStreamRedactor(r, { maxKeyBlock: block.length - 1 });
    assert.equal(dropped.push(prefix + block), prefix + KEY);
  });

  it('an overlong block is tagged at once, its END line found even when split, and output resumes after it', () => {
    const s = createStreamRedactor(r, { maxKeyBlock: 100 });
    let out = s.push(`x\n${BEGIN}\n`);
    assert.equal(out, 'x\n');
    for (let i = 0; i < 3; i++) out += s.push(`${BODY}\n`);
    assert.equal(out, `x\n${KEY}`);
    assert.equal(s.push(`${BODY}\n-----END RSA PRI`), '');
    assert.equal(s.push('VATE KEY-----\ny\n'), '\ny\n');
    assert.equal(s.push('after\n'), 'after\n');
    assert.equal(s.end(), '');
  });

  it('an overlong block without END drops the rest at end of stream', () => {
    const s = createStreamRedactor(r, { maxKeyBlock: 50 });
    const out = s.push(`x\n${BEGIN}\n${BODY}\n${BODY}\n`) + s.push(`${BODY}\n`) + s.end();
    assert.equal(out, `x\n${KEY}`);
  });

  it('a complete block followed by an overlong one: the text between is shown once', () => {
    const s = createStreamRedactor(r, { maxKeyBlock: 60 });
    const text = `${BEGIN}\n${BODY}\n${END}\nmid\n${BEGIN}\n${BODY}\n${BODY}\n`;
    const out = s.push(text) + s.push(`${END}\nz\n`) + s.end();
    assert.equal(out, `${KEY}\nmid\n${KEY}\nz\n`);
  });

  it('a block that opens after a complete one is held, not released with it', () => {
    const s = createStreamRedactor(r);
    const first = s.push(`${BEGIN}\n${BODY}\n${END}\nmid\n${BEGIN}\nsecret-body-line-1\n`);
    assert.equal(first, `${KEY}\nmid\n`);
    const out = first + s.push('secret-body-line-2\n') + s.push(`${END}\n`) + s.end();
    assert.equal(out, `${KEY}\nmid\n${KEY}\n`);
  });
});

describe('stream redactor: overlong lines', () => {
  const raw = createRedactor([], { patterns: false });
  const TAIL = 'z'.repeat(1024); // what is kept back of an overlong line: max(longest secret, 1 KiB)
  /** What the first push of an overlong line (head + TAIL, no line break) releases, the window being maxLine. */
  const cut = (head: string, maxLine = 100): string => createStreamRedactor(raw, { maxLine }).push(head + TAIL);

  it('holds a partial line up to maxLine characters, cuts one beyond it, keeping back 1 KiB', () => {
    assert.equal(createStreamRedactor(raw, { maxLine: 4000 }).push('y'.repeat(3000)), '');
    assert.equal(createStreamRedactor(raw, { maxLine: 2000 }).push('y'.repeat(2000)), '');
    const line = 'word '.repeat(1000);
    const out = createStreamRedactor(raw, { maxLine: 2000 }).push(line);
    assert.ok(out.length > 0 && out.length <= line.length - 1024, `released ${out.length}`);
    assert.ok(out.endsWith(' '));
  });

  it('keeps back 1 KiB even when no secret is declared', () => {
    const r = createRedactor([]);
    const s = createStreamRedactor(r, { maxLine: 100 });
    const out = s.push(`${'a'.repeat(2000)}token=abcdefghijkl`) + s.push('mnopqrstuvwxyz\n') + s.end();
    assert.ok(!out.includes('abcdefgh'), out.slice(-80));
  });

  it('does not cut a complete line that is followed by an overlong partial one', () => {
    const r = createRedactor([]);
    const token = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789';
    const line = `${'x'.repeat(3970)}=${token}\n`;
    const s = createStreamRedactor(r, { maxLine: 2000 });
    const out = s.push(`${line}${'y'.repeat(1002)}`) + s.end();
    assert.equal(out, r(`${line}${'y'.repeat(1002)}`));
    assert.ok(!out.includes('aBcDeF'));
  });

  it('cuts after whitespace that ends an ordinary word, tab included', () => {
    assert.equal(cut(`${'w'.repeat(50)} plain ${'v'.repeat(10)}`), `${'w'.repeat(50)} plain `);
    assert.equal(cut(`${'w'.repeat(50)}\tplain${'v'.repeat(10)}`), `${'w'.repeat(50)}\t`);
    assert.equal(cut(`a=b plain ${'v'.repeat(10)}`), 'a=b plain ');
    assert.equal(cut(`${'w'.repeat(20)} ab-u ${'v'.repeat(10)}`), `${'w'.repeat(20)} ab-u `);
    assert.equal(cut(`${'w'.repeat(20)} -x ${'v'.repeat(10)}`), `${'w'.repeat(20)} -x `);
    assert.equal(cut(`${'w'.repeat(20)} apptoken ${'v'.repeat(10)}`), `${'w'.repeat(20)} apptoken `);
  });

  const openers = [':', 'Host:', 'a=', 'x,', 'Bearer', 'BASIC', 'token', 'Digest', 'password', 'passwd', 'login', 'machine',
    '-u', '-p', '-U', '--user', '--proxy-user', '--password', 'password"', "token'", 'key:"'];
  for (const opener of openers) {
    it(`does not cut between "${opener}" and what follows`, () => {
      const w = 'w'.repeat(50);
      assert.equal(cut(`${w} ${opener} ${'v'.repeat(10)}`), `${w} `);
      assert.equal(cut(`${w} ${opener}\t${'v'.repeat(10)}`), `${w} `);
    });
  }

  it('does not cut after "-u" at the very start of the line', () => {
    assert.equal(cut(`-u ${'v'.repeat(60)}`), `-u ${'v'.repeat(60)}`);
  });

  it('looks back no further than maxLine characters for whitespace', () => {
    // at = 151 (what precedes the kept-back 1 KiB), window 100: whitespace at index 50 is just outside it.
    assert.equal(cut(`${'x'.repeat(50)} ${'y'.repeat(100)}`), `${'x'.repeat(50)} ${'y'.repeat(100)}`);
    assert.equal(cut(`${'x'.repeat(51)} ${'y'.repeat(99)}`), `${'x'.repeat(51)} `);
    assert.equal(cut(`x ${'y'.repeat(300)}`), `x ${'y'.repeat(300)}`);
  });

  it('without whitespace, cuts after the last list separator in the window, else where it must', () => {
    for (const sep of [',', ';', '&']) {
      assert.equal(cut(`${'a'.repeat(20)}${sep}${'b'.repeat(50)}`), `${'a'.repeat(20)}${sep}`);
    }
    assert.equal(cut(`${'a'.repeat(50)},${'b'.repeat(100)}`), `${'a'.repeat(50)},${'b'.repeat(100)}`);
    assert.equal(cut(`${'a'.repeat(51)},${'b'.repeat(99)}`), `${'a'.repeat(51)},`);
    assert.equal(cut('c'.repeat(150)), 'c'.repeat(150));
  });
});
