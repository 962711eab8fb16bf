// Links the person sent are shown as text, and as a link to open only when they are http: or https:.
// Anything else (javascript:, data:, vbscript:, file:, a relative path…) must never become an href: a
// staff member's click would run it in the staff area's origin, with their session.

/**
 * The href to use for `raw`, or null when it must not be a link. The answer is the URL as the browser's
 * own parser reads it (so "  JAVA\tSCRIPT:…" is read as the javascript: it is), re-serialised: what is
 * checked is exactly what is linked.
 */
export function safeLinkHref(raw: string): string | null {
  let parsed: URL;
  try {
    // No base: a relative URL throws, and so is never a link.
    parsed = new URL(raw);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.hostname === '') return null;
  return parsed.href;
}

/** What a link to a site the person named carries: no opener, no Referer, no endorsement. */
export const EXTERNAL_LINK_REL = 'noopener noreferrer nofollow';
