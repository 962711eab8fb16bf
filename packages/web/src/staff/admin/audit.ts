// The audit page's client-side filter over the entries loaded (the server pages; it does not search).
import type { AuditEntry } from '@halte/contract';

/** The entries whose action or target ("case 12", "staff 3") contains `query`, case-insensitive. */
export function filterAudit(entries: readonly AuditEntry[], query: string): AuditEntry[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((entry) => {
    const haystack = [entry.action, entry.target === null ? '' : `${entry.target.kind} ${entry.target.id} ${entry.target.kind}:${entry.target.id}`].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** The next page appended to the entries shown, each once (an entry is never shown twice). */
export function appendEntries(shown: readonly AuditEntry[], page: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set(shown.map((e) => e.seq));
  return [...shown, ...page.filter((e) => !seen.has(e.seq))];
}
