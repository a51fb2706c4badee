import * as fs from 'node:fs';
import { STATE_FILE, stopRegisteredProcesses } from '../../libs/testing/src';

/** Stops every app process of this run, including the ones tests restarted along the way. */
export default async function globalTeardown(): Promise<void> {
  await stopRegisteredProcesses();
  fs.rmSync(STATE_FILE, { force: true });
}
