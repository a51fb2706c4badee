'use strict';
const fs = require('fs');

/**
 * Services an earlier run left behind (a crashed bench, a process that ignored SIGTERM) would
 * join this run's queues, consumer groups and database as extra replicas and skew its figures:
 * found by the stack's queue prefix in their environment, and killed. Call it before the
 * stack starts anything.
 */
function stopStrays(queuePrefix) {
  const mark = `QUEUE_PREFIX=${queuePrefix}\0`;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    let environ;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(mark)) continue;
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();
    console.warn(`killing a service left from an earlier bench run: ${pid} ${cmd}`);
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

module.exports = { stopStrays };
