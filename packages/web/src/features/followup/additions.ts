// What the person adds to an open case — more fingerprints and links, a message — checked with the
// contract's own rules before sending, and turned into the person's words when something is wrong.
import { AddItemsRequest, MAX_ADDED_ITEMS, MAX_MESSAGE_CHARS, MessageRequest, type ReportItem } from '@halte/contract';

import type { MessageKey, MessageParams } from '../../i18n/catalogues';
import { fileItems } from '../report/hashing/items';
import type { FileHashes } from '../report/hashing/protocol';
import type { CaseItem, ItemCounts } from './wording';

export interface Problem {
  readonly message: MessageKey;
  readonly params?: MessageParams;
}

export type AdditionResult = { readonly ok: true; readonly items: ReportItem[]; readonly counts: ItemCounts } | { readonly ok: false; readonly problem: Problem };

/**
 * The items of `POST /api/followup/items`: the pictures' and videos' fingerprints (the same file once),
 * then the links (each once). At most MAX_ADDED_ITEMS per sending, as the contract says.
 */
export function buildAdditions(files: readonly FileHashes[], urls: readonly string[]): AdditionResult {
  const items: ReportItem[] = fileItems(files);
  const images = items.filter((item) => item.kind === 'image').length;
  const videos = items.length - images;
  for (const url of new Set(urls)) items.push({ kind: 'url', url });
  if (items.length === 0) return { ok: false, problem: { message: 'case.add.nothing' } };
  if (items.length > MAX_ADDED_ITEMS) return { ok: false, problem: { message: 'case.add.limit', params: { max: MAX_ADDED_ITEMS } } };
  if (!AddItemsRequest.safeParse({ items }).success) return { ok: false, problem: { message: 'error.validation' } };
  return { ok: true, items, counts: { images, videos, urls: items.length - images - videos } };
}

/** Whether the case already holds this link (as the person typed it; the server may have tidied it). */
export function linkInCase(url: string, items: readonly CaseItem[]): boolean {
  return items.some((item) => item.kind === 'url' && item.url !== null && sameLink(item.url, url));
}

function sameLink(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/** Why a message cannot be sent as it is, or null. */
export function messageProblem(body: string): Problem | null {
  if (body.trim() === '') return { message: 'case.messages.required' };
  if (body.trim().length > MAX_MESSAGE_CHARS) return { message: 'case.messages.tooLong', params: { max: MAX_MESSAGE_CHARS } };
  return MessageRequest.safeParse({ body }).success ? null : { message: 'error.validation' };
}
