#!/usr/bin/env node
// The drill's stand-in service: a tiny HTTP server on a loopback port whose answers follow the drill state
// (for example /health answers 503 while the unit is failed and 200 once the operator restarted it).
// Routes come from the scenario's service.json:
//   { "routes": [ { "method": "GET", "host": "api.example.com", "path": "/health",
//                   "when": { "unit.cvd": "active", "flag.x": ["a", "b"], "unit.db": "!failed" },
//                   "status": 200, "json": {...} | "text": "...", "headers": {...}, "delayMs": 0,
//                   "record": true, "set": { "flag.silenced": "yes" } } ] }
// The first matching route answers; {{state:KEY}}, {{now}}, {{port}} and {{uptime}} are replaced in bodies.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const STATE = process.env.DRILL_STATE;
if (!STATE) {
  console.error('drill service: DRILL_STATE is not set');
  process.exit(2);
}
const configPath = process.env.DRILL_SERVICE_CONFIG;
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const started = Date.now();

const file = (...p) => path.join(STATE, ...p);
function stateGet(key) {
  try {
    return fs.readFileSync(file('state', key), 'utf8').trim();
  } catch {
    return '';
  }
}
function stateSet(key, value) {
  fs.mkdirSync(file('state'), { recursive: true });
  fs.writeFileSync(file('state', key), String(value));
}
function append(name, line) {
  fs.mkdirSync(path.dirname(file(name)), { recursive: true });
  fs.appendFileSync(file(name), line + '\n');
}

function matches(route, req, url) {
  if (route.method && route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) return false;
  const host = String(req.headers.host || '').replace(/:\d+$/, '');
  if (route.host && route.host !== host) return false;
  const p = route.path || '*';
  if (p.endsWith('*') ? !url.pathname.startsWith(p.slice(0, -1)) : url.pathname !== p) return false;
  for (const [key, want] of Object.entries(route.when || {})) {
    const have = stateGet(key);
    const options = Array.isArray(want) ? want : [want];
    const ok = options.some((w) => (String(w).startsWith('!') ? have !== String(w).slice(1) : have === String(w)));
    if (!ok) return false;
  }
  return true;
}

function fill(text, port) {
  return text
    .replace(/\{\{state:([\w.-]+)\}\}/g, (_, k) => stateGet(k))
    .replace(/\{\{now\}\}/g, new Date().toISOString())
    .replace(/\{\{port\}\}/g, String(port))
    .replace(/\{\{uptime\}\}/g, String(Math.round((Date.now() - started) / 1000)));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url || '/', 'http://drill.invalid');
    const route = (config.routes || []).find((r) => matches(r, req, url));
    const status = route ? route.status || 200 : 404;
    const port = server.address().port;
    let text = '';
    const headers = { 'content-type': 'text/plain; charset=utf-8', server: config.server || 'gunicorn', ...(route && route.headers) };
    if (route && route.json !== undefined) {
      text = fill(JSON.stringify(route.json, null, 2), port) + '\n';
      headers['content-type'] = 'application/json';
    } else if (route && route.text !== undefined) text = fill(String(route.text), port);
    else if (!route) text = 'Not Found\n';
    if (route && route.set) for (const [k, v] of Object.entries(route.set)) stateSet(k, fill(String(v), port));
    if (route && route.record) append('notifications.log', `${new Date().toISOString()} ${req.method} ${req.headers.host || ''}${url.pathname} ${body.replace(/\s+/g, ' ').trim()}`);
    const when = new Date().toISOString();
    append('logs/access.log', `127.0.0.1 - - [${when}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${Buffer.byteLength(text)} "-" "${req.headers['user-agent'] || '-'}" host=${req.headers.host || '-'}`);
    setTimeout(() => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : text);
    }, route && route.delayMs ? route.delayMs : 0);
  });
});

const wanted = Number(stateGet('port')) || 0;
server.listen(wanted, '127.0.0.1', () => {
  const port = server.address().port;
  stateSet('port', port);
  fs.mkdirSync(file('pids'), { recursive: true });
  fs.writeFileSync(file('pids', 'service.pid'), String(process.pid));
  stateSet('service.ready', port);
});
server.on('error', (err) => {
  console.error(`drill service: ${err.message}`);
  process.exit(1);
});
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 500).unref());
