import { randomBytes } from 'node:crypto';
import { crc32c } from './crc32c';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

describe('crc32c', () => {
  it('is the CRC-32C check value on "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it("agrees with kafkajs' on every length up to 70 and on random buffers", () => {
    const data = randomBytes(70);
    for (let n = 0; n <= 70; n++)
      expect(crc32c(data.subarray(0, n))).toBe(kafkajsCrc32C(data.subarray(0, n)));
    for (let i = 0; i < 50; i++) {
      const buf = randomBytes(1 + Math.floor(Math.random() * 5000));
      expect(crc32c(buf)).toBe(kafkajsCrc32C(buf));
    }
  });

  it('reads a view at its own offset', () => {
    const whole = randomBytes(1000);
    const view = whole.subarray(13, 977);
    expect(crc32c(view)).toBe(kafkajsCrc32C(Buffer.from(view)));
  });
});
