import { STATE_FILE, stopProcess } from '../../libs/testing/src';
import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  if (!fs.existsSync(STATE_FILE)) return;
  const { pids } = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as {
    pids: Record<string, number>;
  };
  await Promise.all(Object.values(pids).map((pid) => stopProcess(pid)));
  fs.rmSync(STATE_FILE, { force: true });
}
