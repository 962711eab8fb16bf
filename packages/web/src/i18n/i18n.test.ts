import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AGE_GROUPS, COUNTRIES, ERROR_CODES, ORIENTATION_GROUPS, REPORT_WARNINGS, SERVICE_KINDS, SITUATIONS } from '@halte/contract';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { SITUATION_GROUP_ORDER } from '../components/situations';
import { HASH_ERROR_CODES } from '../features/report/hashing/protocol';
import { CATALOGUES, placeholders, translate, type MessageKey } from './catalogues';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const fr = CATALOGUES.fr;
const en = CATALOGUES.en;
const keys = Object.keys(fr) as MessageKey[];

function sources(dir: string, extensions: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path, extensions);
    return extensions.test(name) && !name.includes('.test.') ? [path] : [];
  });
}

describe('message catalogues', () => {
  it('have the same keys in French and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(fr[key].trim(), `fr ${key}`).not.toBe('');
      expect(en[key].trim(), `en ${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of keys) expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
  });

  it('replace placeholders, and leave a missing one visible', () => {
    expect(translate('fr', 'report.step', { current: 2, total: 8 })).toBe('Étape 2 sur 8');
    expect(translate('en', 'report.step', { current: 2, total: 8 })).toBe('Step 2 of 8');
    expect(translate('en', 'report.step', { current: 2 })).toBe('Step 2 of {total}');
  });

  it('word every value the contract and the app show', () => {
    const needed: string[] = [
      ...SITUATIONS.map((s) => `situation.${s}`),
      ...AGE_GROUPS.map((a) => `age.${a}`),
      ...COUNTRIES.flatMap((c) => [`country.${c}`, `danger.country.${c}`, `report.postalCode.invalid.${c}`]),
      ...ORIENTATION_GROUPS.map((g) => `group.${g}`),
      ...[...SERVICE_KINDS, 'email'].map((k) => `service.kind.${k}`),
      ...REPORT_WARNINGS.map((w) => `done.warning.${w}`),
      ...HASH_ERROR_CODES.map((c) => `report.images.error.${c}`),
      ...SITUATION_GROUP_ORDER.map((g) => `situations.group.${g}`),
      ...['yes', 'no', 'unsure'].map((a) => `report.madeWhenMinor.${a}`),
    ];
    for (const key of needed) expect(keys, key).toContain(key);
    expect(ERROR_CODES.length).toBeGreaterThan(0);
  });

  it('contain every key the code asks for', () => {
    const used = new Set<string>();
    for (const file of sources(SRC, /\.tsx?$/)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(match[1] as string);
      for (const match of text.matchAll(/\btranslate\([^,]+,\s*'([\w.]+)'/g)) used.add(match[1] as string);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) expect(keys, `used in the code: ${key}`).toContain(key);
  });

  it('keep French punctuation on the line of its word (non-breaking space before ? : ; ! and inside « »)', () => {
    for (const key of keys) expect(fr[key], key).not.toMatch(/ [?:;!»]|« /);
  });

  it('say Halte’s words of the glossary in French', () => {
    const all = Object.values(fr).join('\n');
    expect(all).toContain('signalement');
    expect(all).toContain('dossier');
    expect(all).toContain('empreinte numérique');
    expect(fr['quickExit.button']).toBe('Quitter rapidement');
    expect(en['quickExit.button']).toBe('Quick exit');
    // "victime" is never a label on screen, "utilisateur" never a name for the person (GLOSSARY.md).
    expect(all).not.toMatch(/victime|utilisateur/i);
    expect(Object.values(en).join('\n')).not.toMatch(/\bvictim|\buser\b/i);
  });
});

// Every text on screen comes from the catalogues: no JSX text and no text attribute (aria-label, alt,
// title, placeholder…) may be written in a component. Parsed with TypeScript, not guessed by regex.
const TEXT_ATTRIBUTES = new Set(['aria-label', 'alt', 'title', 'placeholder', 'label', 'legend', 'hint', 'aria-description']);

function hardCodedText(fileName: string, code: string): string[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) found.push(`text "${node.text.trim()}"`);
    if (ts.isJsxAttribute(node) && node.initializer !== undefined && ts.isStringLiteral(node.initializer)) {
      const name = node.name.getText(source);
      const value = node.initializer.text;
      // a message key handed to a component that translates it is fine
      if (TEXT_ATTRIBUTES.has(name) && /\p{L}{2,}/u.test(value) && !(keys as string[]).includes(value)) found.push(`${name}="${value}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('components', () => {
  it('hold no hard-coded text', () => {
    const offenders = sources(SRC, /\.tsx$/).flatMap((file) => hardCodedText(file, readFileSync(file, 'utf8')).map((what) => `${file}: ${what}`));
    expect(offenders).toEqual([]);
  });

  it('would be caught with hard-coded text (the check above can fail)', () => {
    expect(hardCodedText('x.tsx', 'const a = <p title="Bonjour" label="nav.home">Salut {t("nav.home")}</p>;')).toEqual(['title="Bonjour"', 'text "Salut"']);
  });
});
