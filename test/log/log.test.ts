import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe(createLogger.name, () => {
  it('keeps query parameters of a failed database statement out of the log, down the cause chain', () => {
    const { lines, log } = capture();
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    const queryError = Object.assign(
      new Error('Failed query: insert into "applications" ("password_hash", "coupon") values ($1, $2)\nparams: $argon2id$v=19$secret,4111111111111111', {
        cause: driverError,
      }),
      { params: ['$argon2id$v=19$secret', '4111111111111111'], query: 'insert into "applications" …' },
    );
    log.error({ err: new Error('submitting a new application', { cause: queryError }) }, 'unhandled error');
    const out = lines.join('');
    expect(out).toContain('Failed query: insert into');
    expect(out).toContain('duplicate key value');
    expect(out).not.toContain('4111111111111111');
    expect(out).not.toContain('$argon2id$v=19$secret');
  });

  it('drops parameters that span lines, and the driver detail that repeats them', () => {
    const { lines, log } = capture();
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "certificates_serial_number_key"'), {
      code: '23505',
      detail: 'Key (email)=(taro@example.jp) already exists.',
    });
    const queryError = Object.assign(new Error('Failed query: insert into "certificates" ("email", "der") values ($1, $2)\nparams: taro@example.jp,-----BEGIN CERTIFICATE-----\nMIIB\nsecret-line\n-----END CERTIFICATE-----', { cause: driverError }), {
      params: ['taro@example.jp', 'MIIB'],
    });
    log.error({ err: queryError }, 'unhandled error');
    const out = lines.join('');
    expect(out).toContain('Failed query: insert into');
    expect(out).toContain('certificates_serial_number_key');
    expect(out).not.toContain('taro@example.jp');
    expect(out).not.toContain('secret-line');
    expect(out).toContain('    at ');
  });

  it('censors secret fields wherever they appear', () => {
    const { lines, log } = capture();
    log.info({ password: 'hunter2-hunter2', input: { certificateCode: 'ABCD-EFGH', couponNumber: '4111111111111111' } }, 'x');
    const out = lines.join('');
    expect(out).not.toMatch(/hunter2|ABCD-EFGH|4111111111111111/);
  });
});
