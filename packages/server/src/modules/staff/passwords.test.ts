import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';

import { TEST_PASSWORD_HASHING } from '../../../test/app.js';
import { COMMON_PASSWORD_COUNT, hashPassword, needsRehash, OWASP_ARGON2ID, passwordProblem, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('uses argon2id with OWASP’s parameters by default: 19 MiB, 2 passes, 1 lane', async () => {
    expect(OWASP_ARGON2ID).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(Object.isFrozen(OWASP_ARGON2ID)).toBe(true);
    const stored = await hashPassword('correct horse battery staple', OWASP_ARGON2ID);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // what the hash itself says it was made with (2 = argon2id, 16-byte salt, 32-byte output)
    expect(parseOptions(stored)).toMatchObject({ algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, saltLen: 16, outputLen: 32 });
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
  });

  it('salts every hash', async () => {
    const a = await hashPassword('the same passphrase', TEST_PASSWORD_HASHING);
    const b = await hashPassword('the same passphrase', TEST_PASSWORD_HASHING);
    expect(a).not.toBe(b);
  });

  it('compares passwords after Unicode normalisation (NFKC), so the same password typed on another keyboard works', async () => {
    const stored = await hashPassword('mot de passe caf\u00e9 2026', TEST_PASSWORD_HASHING);
    expect(await verifyPassword(stored, 'mot de passe cafe\u0301 2026')).toBe(true);
  });

  it('answers false, never throws, for a stored value that is not a hash', async () => {
    expect(await verifyPassword('not a hash', 'whatever it is')).toBe(false);
  });

  it('asks for a rehash when the parameters changed', async () => {
    const weak = await hashPassword('a long enough passphrase', TEST_PASSWORD_HASHING);
    expect(needsRehash(weak, OWASP_ARGON2ID)).toBe(true);
    expect(needsRehash(weak, TEST_PASSWORD_HASHING)).toBe(false);
    expect(needsRehash('garbage', OWASP_ARGON2ID)).toBe(true);
  });
});

describe('the password rules', () => {
  const email = 'marie.dupont@association.example';

  it('wants 12 characters at least, counted as characters, not bytes', () => {
    expect(passwordProblem('elevenchars', email)).toBe('PASSWORD_TOO_SHORT');
    expect(passwordProblem('twelve chars', email)).toBeNull();
    expect(passwordProblem('🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢', email)).toBe('PASSWORD_TOO_SHORT'); // 11 characters, 44 bytes
    expect(passwordProblem('🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢', email)).toBeNull();
  });

  it.each(['password1234', 'PASSWORD1234', 'PassWord1234', '1qaz2wsx3edc', '1QAZ2WSX3EDC', 'qwerty123456', 'Administrator', 'passwordpassword'])('refuses the common password %s, whatever its case', (password) => {
    expect(passwordProblem(password, email)).toBe('PASSWORD_TOO_COMMON');
  });

  it('refuses the account’s own address or name', () => {
    expect(passwordProblem(email, email)).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('Marie.Dupont', email)).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('marie-dupont', email)).toBe('PASSWORD_TOO_COMMON');
    expect(passwordProblem('marie dupont ira au marché', email)).toBeNull();
  });

  it('ships the list it says, unchanged (see README.md beside it)', () => {
    const file = readFileSync(new URL('./common-passwords.json', import.meta.url));
    expect(createHash('sha256').update(file).digest('hex')).toBe('f422773d94d630f27e08b26d7017e847bb1feb2a84809340e9c0b0c47b33e3f1');
    expect(COMMON_PASSWORD_COUNT).toBe(49_233);
  });
});
