// Runbook checks (issue 7): each check on a small runbook, with exact ranges; every sample passes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sshHostNames } from '../../src/core/runbook/targets.js';
import { checkRunbook, type CheckOptions, type Diagnostic } from '../../src/core/check/index.js';
import { filesIn, readText, samplesDir, seedsDir } from './helpers.js';

const FM = `---
title: t
hosts:
  web-1: { ssh: deploy@web-1.example.com, port: 2222, jump: bastion }
  bastion: { ssh: ops@bastion.example.com }
connections:
  app-db: { driver: postgres, url: "postgres://ops@localhost:5432/app", host: web-1 }
variables:
  SERVICE: { default: app }
  TOKEN: { prompt: Token, secret: true }
---
`;

/** Diagnostics of one code, as [line, startChar, endChar, severity] (0-based). */
function found(text: string, code: string, options?: CheckOptions): [number, number, number, string][] {
  return checkRunbook(text, options).filter((d) => d.code === code)
    .map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.severity]);
}

function only(text: string, code: string): Diagnostic[] {
  return checkRunbook(text).filter((d) => d.code === code);
}

describe('check: front matter', () => {
  it('maps a schema error to the line and value that is wrong', () => {
    const text = '---\nhosts:\n  web: { ssh: x, port: "twenty" }\n---\n# T\n';
    const [d] = only(text, 'front-matter-schema');
    assert.ok(d);
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range, { start: { line: 2, character: 23 }, end: { line: 2, character: 31 } });
    assert.match(d.message, /hosts\.web\.port/);
  });

  it('points a missing required key at the entry that lacks it', () => {
    const text = '---\nhosts:\n  web:\n    port: 22\n---\n';
    const [d] = only(text, 'front-matter-schema');
    assert.deepEqual([d!.range.start.line, d!.range.start.character, d!.range.end.character], [2, 2, 5]);
    assert.match(d!.message, /missing "ssh"/);
  });

  it('reports YAML syntax errors on their line', () => {
    const text = '---\ntitle: a\nhosts: [unclosed\n---\n';
    const ds = only(text, 'front-matter-yaml');
    assert.ok(ds.length >= 1);
    assert.ok(ds.every((d) => d.severity === 'error' && d.range.start.line >= 1 && d.range.start.line <= 3));
  });

  it('reports nothing for valid front matter', () => {
    assert.deepEqual(checkRunbook(`${FM}# T\n`).filter((d) => d.code.startsWith('front-matter')), []);
  });
});

describe('check: hosts and connections', () => {
  it('flags an unknown host= and db= at the attribute value', () => {
    const text = `${FM}\n\`\`\`bash {name=a host=web-2}\nls\n\`\`\`\n\n\`\`\`sql {db=nope}\nselect 1\n\`\`\`\n`;
    assert.deepEqual(found(text, 'unknown-host'), [[12, 21, 26, 'error']]);
    assert.deepEqual(found(text, 'unknown-connection'), [[16, 11, 15, 'error']]);
    assert.match(only(text, 'unknown-host')[0]!.message, /defines hosts web-1, bastion \("local"/);
  });

  it('accepts front matter hosts, local, and ssh config aliases when given', () => {
    const text = `${FM}\`\`\`bash {host=web-1}\nls\n\`\`\`\n\`\`\`bash {host=local}\nls\n\`\`\`\n\`\`\`bash {host=jumpy}\nls\n\`\`\`\n`;
    assert.equal(found(text, 'unknown-host').length, 1);
    assert.deepEqual(found(text, 'unknown-host', { sshConfig: 'Host jumpy other\n  HostName 10.0.0.1\nHost *\n' }), []);
  });

  it('flags a connection host or jump that names no host', () => {
    const text = '---\nhosts:\n  a: { ssh: x@y, jump: nowhere }\nconnections:\n  d: { driver: sqlite, path: /x, host: ghost }\n---\n';
    assert.deepEqual(found(text, 'unknown-host').map((f) => f[0]), [2, 4]);
  });

  it('reads Host aliases of an ssh config', () => {
    assert.deepEqual(sshHostNames('Host a b\n  User x\nhost=c\nHost *.internal !d\nMatch host e\n'), ['a', 'b', 'c']);
  });
});

describe('check: shell variables', () => {
  const cell = (src: string, extra = '') => `${FM}\`\`\`bash${extra}\n${src}\n\`\`\`\n`;
  const names = (text: string) => only(text, 'undefined-variable').map((d) => d.data?.name);

  it('flags an undefined ${VAR} and $VAR with exact ranges', () => {
    const text = cell('echo "${MISSING_ONE}" $MISSING_TWO');
    assert.deepEqual(found(text, 'undefined-variable'), [[12, 6, 20, 'warning'], [12, 22, 34, 'warning']]);
  });

  it('does not flag front matter variables, environment variables, lowercase names or defaults', () => {
    assert.deepEqual(names(cell('echo $SERVICE $TOKEN $HOME $PATH $USER $HOSTNAME $PWD $lower ${X_Y:-d} ${#Z_Z} $1 $? $LC_ALL')), []);
  });

  it('does not flag names assigned, exported, read or looped over', () => {
    const src = [
      'A_A=1', 'export B_B=2', 'export C_C', 'read -r -p "Name: " D_D', 'for E_E in 1 2; do echo $E_E; done',
      'local F_F=3', 'declare -a G_G', 'printf -v H_H "%s" x', 'while IFS=: read -r I_I J_J; do :; done < f',
      ': "${K_K:=default}"', 'echo $A_A $B_B $C_C $D_D $F_F $G_G $H_H $I_I $J_J $K_K',
    ].join('\n');
    assert.deepEqual(names(cell(src)), []);
  });

  it('knows names set in earlier cells but not in later ones', () => {
    const text = `${FM}\`\`\`bash\necho $LATER_X\nEARLY=1\n\`\`\`\n\`\`\`bash\necho $EARLY\nLATER_X=2\n\`\`\`\n`;
    assert.deepEqual(names(text), ['LATER_X']);
  });

  it('ignores single quotes, comments, escapes and quoted here-documents but not unquoted ones', () => {
    const src = [
      "awk '{print $NOT_A}'", '# echo $NOT_B', 'echo \\$NOT_C', "cat <<'EOF'", '$NOT_D', "it's", 'EOF',
      'cat <<EOF', "don't $YES_E", 'EOF', 'echo "$(echo \'$NOT_F\')" "$YES_G"',
    ].join('\n');
    assert.deepEqual(names(cell(src)), ['YES_E', 'YES_G']);
  });

  it('stops reporting after a cell sources a file', () => {
    const text = `${FM}\`\`\`bash\nsource ./env.sh\n\`\`\`\n\`\`\`bash\necho $FROM_ENV\n\`\`\`\n`;
    assert.deepEqual(names(text), []);
  });

  it('only checks shell cells', () => {
    assert.deepEqual(names(`${FM}\`\`\`python\nprint("$NOT_SHELL")\n\`\`\`\n`), []);
  });
});

describe('check: http variables', () => {
  it('flags {{var}} not defined, accepts system, file, front matter and request variables', () => {
    const src = [
      '@base = https://x', '# @name login', 'POST {{base}}/login', 'Authorization: Bearer {{TOKEN}}',
      'X-Id: {{$guid}}', 'X-T: {{login.response.body.token}}', 'X-U: {{ undefinedVar }}',
    ].join('\n');
    const text = `${FM}\`\`\`http\n${src}\n\`\`\`\n`;
    assert.deepEqual(found(text, 'undefined-variable'), [[18, 5, 23, 'warning']]);
  });
});

describe('check: placeholders', () => {
  const text = [
    '# Contacts', '', '- On-call: +1-XXX-XXX-XXXX', '', '```bash',
    'curl -X POST YOUR_SLACK_WEBHOOK_URL', 'curl https://your-domain.com/health', 'sudo ufw deny from SUSPICIOUS_IP',
    'echo ${SUSPICIOUS_IP} $YOUR_OK', 'kubectl logs <pod-name>', 'curl https://api.example.com/x', 'PASS=CHANGEME', '```', '',
  ].join('\n');

  it('flags each placeholder at its exact range and suggests a variable', () => {
    const ds = only(text, 'placeholder');
    assert.deepEqual(ds.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.data?.name]), [
      [2, 11, 26, 'ON_CALL_PHONE'],
      [5, 13, 35, 'SLACK_WEBHOOK_URL'],
      [6, 13, 28, 'DOMAIN'],
      [7, 19, 32, 'SUSPICIOUS_IP'],
      [9, 13, 23, 'POD_NAME'],
      [10, 13, 28, 'API_HOST'],
      [11, 5, 13, 'PASS'],
    ]);
    assert.ok(ds.every((d) => d.severity === 'warning'));
  });

  it('does not flag example.com hosts in the front matter or in prose', () => {
    assert.deepEqual(only(`${FM}See https://www.example.com for details.\n`, 'placeholder'), []);
  });

  it('does not flag a front matter variable named in prose', () => {
    const fm = '---\nvariables:\n  SUSPICIOUS_IP: { prompt: ip }\n---\n';
    assert.deepEqual(only(`${fm}Set SUSPICIOUS_IP first.\n`, 'placeholder'), []);
  });
});

describe('check: destructive commands and broad kills', () => {
  it('reports destructive commands without confirm=true once per cell, naming them', () => {
    const text = '```bash {name=x}\necho hi\n  sudo systemctl restart nginx\nrm -rf /tmp/x\n```\n';
    const ds = only(text, 'destructive-without-confirm');
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.severity, 'information');
    assert.deepEqual(ds[0]!.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 30 } });
    assert.match(ds[0]!.message, /systemctl restart, rm -r\/-f/);
  });

  it('is quiet when the fence says confirm=true', () => {
    assert.deepEqual(only('```bash {confirm=true}\nrm -rf /tmp/x\n```\n', 'destructive-without-confirm'), []);
    assert.deepEqual(only('```sql {"confirm":true}\nDROP TABLE x;\n```\n', 'destructive-without-confirm'), []);
  });

  it('warns about pkill -f, killall and kill -1', () => {
    const text = '```bash {confirm=true}\npkill -f "python.*app"\nsudo killall gunicorn\nkill -9 -1\npkill -x gunicorn # not pkill -f\n```\n';
    assert.deepEqual(found(text, 'broad-kill'), [[1, 0, 8, 'warning'], [2, 5, 12, 'warning'], [3, 0, 10, 'warning']]);
  });
});

describe('check: cells', () => {
  it('flags the second cell with a duplicate name', () => {
    const text = '```bash {name=a}\nls\n```\n\n```bash {name=b}\nls\n```\n\n```sql {name=a}\nselect 1\n```\n';
    assert.deepEqual(found(text, 'duplicate-name'), [[8, 13, 14, 'error']]);
  });

  it('warns at the opening line of an unclosed fence', () => {
    const text = '# T\n\n  ```bash {name=x}\nls\n';
    assert.deepEqual(found(text, 'unclosed-fence'), [[2, 2, 18, 'warning']]);
  });

  it('flags a timeout that does not parse, accepts good ones', () => {
    const text = '```bash {timeout=30s}\nls\n```\n```bash {timeout=5min}\nls\n```\n```bash {timeout=soon}\nls\n```\n';
    assert.deepEqual(found(text, 'bad-timeout'), [[3, 17, 21, 'error'], [6, 17, 21, 'error']]);
  });

  it('flags confirm values that are not booleans', () => {
    assert.deepEqual(found('```bash {confirm=yes}\nls\n```\n', 'bad-boolean'), [[0, 17, 20, 'warning']]);
  });
});

describe('check: positions', () => {
  it('keeps columns right with CRLF line endings and a byte order mark', () => {
    const text = '\uFEFF```bash {host=nowhere}\r\necho $UNSET_X\r\n```\r\n';
    assert.deepEqual(found(text, 'unknown-host'), [[0, 15, 22, 'error']]);
    assert.deepEqual(found(text, 'undefined-variable'), [[1, 5, 13, 'warning']]);
  });

  it('maps cell lines through fence indentation (list items)', () => {
    const text = '1. step\n\n   ```bash\n   echo $UNSET_Y\n   ```\n';
    assert.deepEqual(found(text, 'undefined-variable'), [[3, 8, 16, 'warning']]);
  });
});

describe('check: samples and seeds', () => {
  for (const file of filesIn(samplesDir, '.runbook.md')) {
    it(`${file.split('/').pop()} has no errors`, () => {
      const errors = checkRunbook(readText(file)).filter((d) => d.severity === 'error');
      assert.deepEqual(errors, []);
    });
  }

  it('finds the placeholders left in the seeds (the documents the samples were made from)', () => {
    const text = readText(filesIn(seedsDir, '.md').find((f) => f.endsWith('cvd-incident-response.md'))!);
    const texts = new Set(only(text, 'placeholder').map((d) => d.data?.text));
    for (const p of ['YOUR_SLACK_WEBHOOK_URL', 'your-domain.com', '+1-XXX-XXX-XXXX']) assert.ok(texts.has(p), p);
  });
});

describe('check: any text', () => {
  const TOKENS = [
    '\n', '\n', '\r\n', ' ', '  ', '\t', '```', '````', '~~~', '```bash {name=a host=x timeout=z}', '```sql {db=q}',
    '```http', '---\n', 'hosts:\n', '  a: { ssh: b }\n', 'variables:\n', '  X: 1\n', '$', '${', '}', '{{', '}}', '$A_B',
    "'", '"', '\\', '#', '<<EOF', "<<'EOF'", '<<-EOF', 'EOF', '$(', ')', '((', '`', 'rm -rf /', 'pkill -f x', 'YOUR_X',
    '+1-XXX-XXX-XXXX', '<a-b>', 'example.com', 'a', '=', ';', '&&', '|', '\uFEFF', 'é', '🙂',
  ];
  it('never throws and keeps every range inside its line', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 80 }), (text) => {
      const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
      for (const d of checkRunbook(text)) {
        const { start, end } = d.range;
        assert.equal(start.line, end.line);
        assert.ok(start.line >= 0 && start.line < Math.max(1, lines.length), JSON.stringify(d));
        assert.ok(start.character >= 0 && start.character <= end.character && end.character <= lines[start.line]!.length, JSON.stringify(d));
      }
    }), { numRuns: 500 });
  });
});
