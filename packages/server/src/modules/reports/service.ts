// Creating a case from a report, in one transaction: the case, its items, the first timeline event and
// (when the request has one) the idempotency record holding the encrypted answer. A retried request
// with the same Idempotency-Key gets that answer back; nothing is ever created twice.
import { createHash } from 'node:crypto';

import type { OrientationRequest, ReportCreated, ReportRequest } from '@halte/contract';
import type { z } from 'zod';
import { sql, type Kysely } from 'kysely';

import { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import { newPin, newReference } from './references.js';

type ValidReport = z.output<typeof import('@halte/contract').ReportRequest>;

/** Answers for an orientation query: the services list of GET /api/orientation. */
export type Orient = (request: OrientationRequest) => { services: ReportCreated['orientation'] };

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

export interface ReportServiceDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
  readonly orient: Orient;
}

/** The image quality under which a fingerprint is kept but flagged (PDQ_QUALITY_THRESHOLD). */
const QUALITY_THRESHOLD = 50;

function normaliseUrl(raw: string): { url: string; host: string } {
  const u = new URL(raw);
  u.hash = ''; // never sent to the host; it only identifies the viewer's position
  return { url: u.href, host: u.hostname.toLowerCase() };
}

type ValidItem = ValidReport['items'][number];

/** The case_item rows of reported items (a link normalised, a low-quality image flagged). */
export function toItemRows(caseId: number, items: readonly ValidItem[]) {
  return items.map((item) => {
    const base = { case_id: caseId, pdq: null, quality: null, low_quality: false, md5: null, sha256: null, vpdq: null, url: null, host: null };
    if (item.kind === 'image') {
      return { ...base, kind: 'image' as const, pdq: item.pdq, quality: item.quality, low_quality: item.quality < QUALITY_THRESHOLD, md5: item.md5, sha256: item.sha256 };
    }
    if (item.kind === 'video') return { ...base, kind: 'video' as const, md5: item.md5, sha256: item.sha256, vpdq: JSON.stringify(item.vpdq) };
    return { ...base, kind: 'url' as const, ...normaliseUrl(item.url) };
  });
}

/** Counts for timeline events (never the items themselves). */
export function countItems(items: readonly { kind: ValidItem['kind'] }[]): { images: number; videos: number; urls: number } {
  const counts = { images: 0, videos: 0, urls: 0 };
  for (const item of items) counts[item.kind === 'image' ? 'images' : item.kind === 'video' ? 'videos' : 'urls']++;
  return counts;
}

/** Warnings for the person about their items (e.g. a picture too uniform to be recognised). */
export function itemWarnings(items: readonly ValidItem[]): ReportCreated['warnings'] {
  const warnings: ReportCreated['warnings'] = [];
  items.forEach((item, index) => {
    if (item.kind === 'image' && item.quality < QUALITY_THRESHOLD) warnings.push({ code: 'IMAGE_TOO_UNIFORM', item: index });
  });
  return warnings;
}

function canonical(report: ValidReport): string {
  return JSON.stringify(report);
}

export async function createReport(
  deps: ReportServiceDeps,
  report: ValidReport,
  idempotencyKey: string | undefined,
): Promise<{ status: 201; body: ReportCreated; replayed: boolean }> {
  const requestHash = createHash('sha256').update(canonical(report)).digest();
  if (idempotencyKey !== undefined) {
    const previous = await replay(deps, idempotencyKey, requestHash);
    if (previous) return previous;
  }
  const warnings = itemWarnings(report.items);
  const orientation = deps.orient({
    situations: report.situations,
    age: report.ageGroup,
    country: report.country,
    danger: report.immediateDanger,
  }).services;

  // A reference collision (1 in 2^60 per pair) is retried with a new one.
  for (let attempt = 0; ; attempt++) {
    const reference = newReference();
    const pin = newPin();
    const body: ReportCreated = { reference, pin, warnings, orientation };
    try {
      const stored = await insertCase(deps, {
        idempotency: idempotencyKey === undefined ? null : { key: idempotencyKey, requestHash, answer: deps.sealer.seal(body) },
        reference,
        pinHash: deps.sealer.pinHash(reference, pin),
        report,
      });
      if (stored) return { status: 201, body, replayed: false };
      const previous = await replay(deps, idempotencyKey as string, requestHash);
      if (previous) return previous;
      throw new Error('@NOTE unreachable: an idempotency key claimed by another request disappeared');
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, 'case_reference_key')) continue;
      throw error;
    }
  }
}

interface NewCase {
  readonly idempotency: { key: string; requestHash: Uint8Array; answer: Uint8Array } | null;
  readonly reference: string;
  readonly pinHash: Uint8Array;
  readonly report: ValidReport;
}

/**
 * The case, its items, its first event and the idempotency record in ONE statement (data-modifying
 * CTEs): atomic without an explicit transaction, and one round trip to the database instead of six —
 * what keeps report submissions fast on a remote PostgreSQL. Returns false when another request with
 * the same Idempotency-Key got there first (nothing is inserted then).
 */
async function insertCase(deps: ReportServiceDeps, c: NewCase): Promise<boolean> {
  const { report } = c;
  const rows = toItemRows(0, report.items);
  const items =
    rows.length === 0
      ? sql``
      : sql`, items as (
          insert into case_item (case_id, kind, pdq, quality, low_quality, md5, sha256, vpdq, url, host)
          select created.id, v.kind, v.pdq, v.quality, v.low_quality, v.md5, v.sha256, v.vpdq, v.url, v.host
          from created, (values ${sql.join(
            rows.map(
              (r) =>
                sql`(${r.kind}::text, ${r.pdq}::text, ${r.quality}::int, ${r.low_quality}::boolean, ${r.md5}::text, ${r.sha256}::text, ${r.vpdq}::jsonb, ${r.url}::text, ${r.host}::text)`,
            ),
          )}) as v(kind, pdq, quality, low_quality, md5, sha256, vpdq, url, host)
        )`;
  const caseValues = sql`${c.reference}, ${c.pinHash}, ${report.situations}::text[], ${report.ageGroup}, ${report.madeWhenMinor},
    ${report.country}, ${report.postalCode ?? null}::text, ${report.immediateDanger},
    ${report.summary ? deps.sealer.seal(report.summary) : null}::bytea,
    ${report.contact && (report.contact.email || report.contact.phone) ? deps.sealer.seal(report.contact) : null}::bytea,
    ${report.consents.shareWithPartners}, ${report.consents.contactMe}, ${report.language ?? 'fr'}`;
  const caseColumns = sql`reference, pin_hash, situations, age_group, made_when_minor, country, postal_code, immediate_danger,
    summary_enc, contact_enc, consent_share_with_partners, consent_contact_me, language`;
  const head =
    c.idempotency === null
      ? sql`with created as (insert into "case" (${caseColumns}) values (${caseValues}) returning id)`
      : sql`with claimed as (
            insert into idempotency_key (scope, key, request_hash, status_code, response_enc, reference)
            values ('report', ${c.idempotency.key}, ${c.idempotency.requestHash}, 201, ${c.idempotency.answer}, ${c.reference})
            on conflict do nothing returning 1
          ),
          created as (insert into "case" (${caseColumns}) select ${caseValues} where exists (select 1 from claimed) returning id)`;
  const result = await sql<{ id: number }>`${head}${items},
    received as (
      insert into event (case_id, kind, visible_to_person, actor, data)
      select id, 'report_received', true, 'person', ${JSON.stringify(countItems(report.items))}::jsonb from created
    )
    select id from created`.execute(deps.db);
  return result.rows.length === 1;
}

async function replay(
  deps: ReportServiceDeps,
  key: string,
  requestHash: Uint8Array,
): Promise<{ status: 201; body: ReportCreated; replayed: true } | null> {
  const row = await deps.db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'response_enc'])
    .where('scope', '=', 'report')
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return null;
  if (!Sealer.equal(new Uint8Array(row.request_hash), new Uint8Array(requestHash))) {
    throw new IdempotencyKeyReusedError('this Idempotency-Key was already used for another report');
  }
  return { status: 201, body: deps.sealer.open<ReportCreated>(new Uint8Array(row.response_enc)), replayed: true };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
}

export type { ReportRequest };
