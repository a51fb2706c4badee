const nodemailer = require('nodemailer');
const crypto = require('crypto');
const N = 4000, POOL = 8;
function raw(i) {
  const b = crypto.randomUUID();
  return Buffer.from(`From: Bench <bench@bench.example>\r\nTo: raw-${i}@bench.example\r\nSubject: Hello Bench${i}\r\nMessage-ID: <${crypto.randomUUID()}@bench.example>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nList-Unsubscribe: <http://127.0.0.1/t/u/x>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nContent-Type: multipart/alternative; boundary="${b}"\r\n\r\n--${b}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHi Bench${i}\r\n--${b}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n<p>Hi Bench${i} from Bench Inc</p>\r\n--${b}--\r\n`);
}
async function loop(kind) {
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: 1025, maxConnections: POOL, maxMessages: Infinity });
  const c0 = process.cpuUsage(); const t0 = Date.now(); let next = 0;
  const worker = async () => { while (next < N) { const i = next++;
    if (kind === 'raw') await transport.sendMail({ envelope: { from: 'bench@bench.example', to: [`raw-${i}@bench.example`] }, raw: raw(i) });
    else await transport.sendMail({ from: { name: 'Bench', address: 'bench@bench.example' }, to: `bare-${i}@bench.example`, subject: `Hello Bench${i}`, html: `<p>Hi Bench${i} from Bench Inc</p>`, text: `Hi Bench${i}`, headers: { 'List-Unsubscribe': '<http://127.0.0.1/t/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
  } };
  await Promise.all(Array.from({ length: POOL * 8 }, worker)); transport.close();
  const c = process.cpuUsage(c0);
  console.log(`${kind}: ${Math.round(N / ((Date.now() - t0) / 1000))} msg/s, ${((c.user + c.system) / N).toFixed(0)} us cpu/msg`);
}
(async () => { for (let r = 0; r < 2; r++) { await loop('composer'); await loop('raw'); } })();
