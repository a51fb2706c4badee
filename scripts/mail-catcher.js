#!/usr/bin/env node
// Local SMTP server for development and e2e tests: accepts every message on loopback,
// keeps the newest MAILCATCHER_MAX_MESSAGES in memory and serves them over HTTP.
// Started by scripts/infra.sh. Recipients whose local part starts with `bounce-` are
// refused with 550 (permanent) and `tempfail-` with 451 (temporary), so tests can drive
// the bounce and retry paths against a real SMTP conversation.
//
// HTTP API (JSON):
//   GET    /health                                  {status, count}
//   GET    /api/messages?to=&limit=&offset=         messages, oldest first (newest last);
//                                                   limit defaults to 1000, header X-Total-Count
//   GET    /api/messages/count?to=                  {count}
//   GET    /api/recipients?domain=                  {recipients: {address: count}, messages}: how many
//                                                   copies each address of a domain got (ground truth
//                                                   for loss and duplicate checks at 100k+ messages)
//   DELETE /api/messages                            {deleted}
'use strict';
const http = require('http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const HOST = process.env.MAILCATCHER_HOST || '127.0.0.1';
const SMTP_PORT = Number(process.env.SMTP_PORT || 1025);
const HTTP_PORT = Number(process.env.MAILCATCHER_HTTP_PORT || 1080);
const MAX_MESSAGES = Number(process.env.MAILCATCHER_MAX_MESSAGES || 200000);
const DEFAULT_LIMIT = 1000;

// Messages in arrival order, plus the same objects per envelope recipient so that the
// `?to=` queries tests poll with stay cheap at 100k+ messages.
let messages = [];
let byRecipient = new Map();
let nextId = 1;

function store(message) {
  messages.push(message);
  for (const rcpt of message.to) {
    const list = byRecipient.get(rcpt);
    if (list) list.push(message);
    else byRecipient.set(rcpt, [message]);
  }
  // Trim in batches: dropping one message per insert would move the whole array each time.
  if (messages.length > MAX_MESSAGES * 1.1) {
    for (const old of messages.splice(0, messages.length - MAX_MESSAGES)) {
      for (const rcpt of old.to) {
        const list = byRecipient.get(rcpt);
        list.shift(); // the oldest overall is also the oldest in each of its lists
        if (!list.length) byRecipient.delete(rcpt);
      }
    }
  }
}

function clear() {
  const deleted = messages.length;
  messages = [];
  byRecipient = new Map();
  return deleted;
}

// Header values under lowercase names; a repeated header becomes an array. Unstructured
// headers (subject, custom X-...) are MIME-decoded; structured ones (addresses, dates,
// content-type, list-*) are kept as the raw, unfolded text.
function plainHeaders({ headerLines, headers: decoded }) {
  const headers = {};
  for (const { key, line } of headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const seen = headers[key];
    if (seen === undefined) headers[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else headers[key] = [seen, value];
  }
  for (const [key, value] of decoded) if (typeof value === 'string') headers[key] = value;
  return headers;
}

function refuse(message, responseCode) {
  return Object.assign(new Error(message), { responseCode });
}

const smtp = new SMTPServer({
  banner: 'campaign-platform mail catcher',
  authOptional: true,
  allowInsecureAuth: true, // loopback only: accept AUTH PLAIN/LOGIN without TLS
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true, // a DNS lookup per connection would throttle pooled senders
  size: 25 * 1024 * 1024,
  logger: false,
  // Any login is accepted (and kept with each message as authUser), except user names that
  // start with "reject-": a way for tests to see a refused login (535).
  onAuth(auth, session, callback) {
    if ((auth.username || '').startsWith('reject-'))
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    callback(null, { user: auth.username || 'anonymous' });
  },
  onRcptTo({ address }, session, callback) {
    const local = address.split('@')[0].toLowerCase();
    if (local.startsWith('bounce-'))
      return callback(refuse(`5.1.1 <${address}>: mailbox unavailable`, 550));
    if (local.startsWith('tempfail-'))
      return callback(refuse(`4.2.0 <${address}>: try again later`, 451));
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', async () => {
      if (stream.sizeExceeded) return callback(refuse('5.3.4 message too big', 552));
      const raw = Buffer.concat(chunks);
      try {
        const parsed = await simpleParser(raw, {
          skipHtmlToText: true,
          skipTextToHtml: true,
          skipImageLinks: true,
          skipTextLinks: true,
        });
        // Stored before the 250 reply, so a test that sees the send succeed can query it.
        store({
          id: nextId++,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          authUser: session.user || null,
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          messageId: parsed.messageId || null,
          subject: parsed.subject || '',
          headers: plainHeaders(parsed),
          text: parsed.text || '',
          html: parsed.html || '',
          receivedAt: new Date().toISOString(),
          size: raw.length,
        });
        callback();
      } catch (err) {
        console.error('mail-catcher: cannot parse message:', err.message);
        callback(refuse('5.6.0 cannot parse message', 554));
      }
    });
  },
});
smtp.on('error', (err) => {
  console.error('mail-catcher: smtp error:', err.message);
  if (err.code === 'EADDRINUSE') process.exit(1);
});

function sendJson(res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function matching(query) {
  const to = query.get('to');
  return to ? byRecipient.get(to.toLowerCase()) || [] : messages;
}

const api = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  if (route === 'GET /health') return sendJson(res, 200, { status: 'ok', count: messages.length });
  if (route === 'GET /api/messages/count')
    return sendJson(res, 200, { count: matching(url.searchParams).length });
  if (route === 'GET /api/messages') {
    const list = matching(url.searchParams);
    const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
    const limit = Math.max(0, Number(url.searchParams.get('limit') || DEFAULT_LIMIT) || 0);
    return sendJson(res, 200, list.slice(offset, offset + limit), {
      'x-total-count': String(list.length),
    });
  }
  if (route === 'GET /api/recipients') {
    const suffix = `@${(url.searchParams.get('domain') || '').toLowerCase()}`;
    const recipients = {};
    let total = 0;
    for (const [address, list] of byRecipient) {
      if (!address.endsWith(suffix)) continue;
      recipients[address] = list.length;
      total += list.length;
    }
    return sendJson(res, 200, { recipients, messages: total });
  }
  if (route === 'DELETE /api/messages') return sendJson(res, 200, { deleted: clear() });
  sendJson(res, 404, { error: `no route ${route}` });
});

smtp.listen(SMTP_PORT, HOST, () => {
  api.listen(HTTP_PORT, HOST, () => {
    console.log(
      `mail-catcher: smtp ${HOST}:${SMTP_PORT}, http ${HOST}:${HTTP_PORT}, keeps ${MAX_MESSAGES}`,
    );
  });
});
api.on('error', (err) => {
  console.error('mail-catcher: http error:', err.message);
  process.exit(1);
});

function shutdown(signal) {
  console.log(`mail-catcher: ${signal}, shutting down`);
  // Pooled clients keep connections open; don't wait for them past a second.
  setTimeout(() => process.exit(0), 1000).unref();
  api.close();
  smtp.close(() => process.exit(0));
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
