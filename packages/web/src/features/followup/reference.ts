// Case references as people type them back: lower case, spaces, O for 0, I or L for 1 (the same
// reading as the server's normaliseReference, packages/server/src/modules/reports/references.ts).
/** HLT- then three groups of four Crockford base-32 symbols (no I, L, O, U). */
export const REFERENCE_PATTERN = /^HLT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** The reference `input` means, or null when it cannot be one. */
export function readReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const body = (compact.startsWith('HLT') ? compact.slice(3) : compact).replace(/O/g, '0').replace(/[IL]/g, '1');
  const reference = body.length === 12 ? `HLT-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}` : input.trim();
  return REFERENCE_PATTERN.test(reference) ? reference : null;
}

/** The PIN without the spaces people add when copying it. */
export function readPin(input: string): string {
  return input.replace(/\s/g, '');
}
