import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { placeholders } from '../../i18n/catalogues';
import { STAFF_CATALOGUES, staffTranslate, type StaffMessageKey } from './catalogue';

const STAFF_SRC = fileURLToPath(new URL('..', import.meta.url));
const fr = STAFF_CATALOGUES.fr;
const en = STAFF_CATALOGUES.en;
const keys = Object.keys(fr) as StaffMessageKey[];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.includes('.test.') ? [path] : [];
  });
}

describe('staff catalogues', () => {
  it('have the same keys in French and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    expect(keys.length).toBeGreaterThan(300);
    for (const key of keys) {
      expect(fr[key].trim(), `fr ${key}`).not.toBe('');
      expect(en[key].trim(), `en ${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of keys) expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
  });

  it('fill placeholders', () => {
    expect(staffTranslate('fr', 'case.title', { reference: 'HLT-1' })).toBe('Dossier HLT-1');
    expect(staffTranslate('en', 'case.title', { reference: 'HLT-1' })).toBe('Case HLT-1');
  });

  it('contain every key the staff code asks for', () => {
    const used = new Set<string>();
    for (const file of sources(STAFF_SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\btr\(\s*'([\w.]+)'/g)) used.add(match[1] as string);
      for (const match of text.matchAll(/\bkey: '([\w.]+)'/g)) used.add(match[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    for (const key of used) expect(keys, `used in the code: ${key}`).toContain(key);
  });

  it('keep French punctuation on the line of its word (no-break space before ? : ; ! and inside « »)', () => {
    for (const key of keys) expect(fr[key], key).not.toMatch(/ [?:;!»]|« /);
  });

  it('never call the person a victim or a user', () => {
    expect(Object.values(fr).join('\n')).not.toMatch(/victime|utilisateur/i);
    expect(Object.values(en).join('\n')).not.toMatch(/\bvictim|\buser\b/i);
  });
});
