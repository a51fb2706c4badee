#!/usr/bin/env node
// Runs the five apps from dist/ with per-app prefixed, coloured logs. Ctrl-C (or SIGTERM)
// stops them all gracefully: each app gets SIGTERM and time to drain before being killed.
'use strict';
const { spawn } = require('child_process');
const http = require('http');
const path = require('path');
const readline = require('readline');

const root = path.resolve(__dirname, '..');
const apps = [
  ['campaigns', 36],
  ['leads', 32],
  ['analytics', 35],
  ['executor', 33],
  ['gateway', 34],
];
const width = Math.max(...apps.map(([n]) => n.length));
const children = new Map();
let stopping = false;

function start(name, color) {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    env: { LOG_FORMAT: 'pretty', ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${color}m${name.padEnd(width)} |\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  children.set(name, child);
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping apps...\n');
  for (const child of children.values()) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10000);
  const wait = setInterval(() => {
    if (children.size === 0) {
      clearInterval(wait);
      clearTimeout(force);
      process.exit(code);
    }
  }, 100);
}

function healthy(url) {
  return new Promise((resolve) => {
    http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
  });
}

async function banner() {
  const port = process.env.PORT || 3000;
  const base = process.env.PUBLIC_API_URL || `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240 && !stopping; i++) {
    if (await healthy(`http://127.0.0.1:${port}/health`)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (stopping) return;
  process.stdout.write(`
\x1b[1mCampaign platform is up\x1b[0m
  API          ${base}/api/v1
  API docs     ${base}/docs   (OpenAPI JSON: ${base}/docs-json)
  Bull Board   ${base}/admin/queues   (user: anything, password: a tenant admin key)
  Health       ${base}/health
  Mail catcher http://127.0.0.1:${process.env.MAILCATCHER_HTTP_PORT || 1080}/api/messages   (SMTP on 127.0.0.1:${process.env.SMTP_PORT || 1025})

  Get an API key (in another terminal):
    npm run --silent admin -- api-key create --tenant demo --workspace main
  and an admin key (workspaces, keys, Bull Board):
    npm run --silent admin -- api-key create --tenant demo --admin

  Ctrl-C stops everything.
`);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
for (const [name, color] of apps) start(name, color);
banner();
