'use strict';
/**
 * V8 flags per app: the one list every launcher applies (npm start, the e2e stack, the benches,
 * the Dockerfile's CMD; docker-compose.yml spells them out and a unit test keeps it equal).
 *
 * executor: a young generation of 2 x 32 MB instead of V8's 2 x 16 MB. A send keeps its
 * objects (job, rendered message, claim, events) alive for the few milliseconds of its batched
 * statements and SMTP answer; at hundreds of sends in flight the default nursery promoted many
 * of them to the old generation, whose collections then cost more than the sends. On the send
 * bench this took about a quarter off the executor's CPU (docs/executor.md, "Memory").
 *
 * `node scripts/node-flags.js <app>` prints the flags, for shell launchers.
 */
const FLAGS = {
  executor: ['--max-semi-space-size=32'],
};

/** The node flags to start `app` with (empty for apps that need none). */
function nodeFlags(app) {
  return FLAGS[app] ?? [];
}

module.exports = { nodeFlags };

if (require.main === module) process.stdout.write(nodeFlags(process.argv[2]).join(' '));
