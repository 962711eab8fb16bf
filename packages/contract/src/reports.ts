// POST /api/reports: what a person sends (no account), and what they get back.
import { z } from 'zod';

import { AgeGroup, Country, Language, Situation } from './domain.js';
import { OrientationService } from './orientation.js';

export const MAX_REPORT_ITEMS = 200;
export const MAX_SUMMARY_CHARS = 4000;
export const MAX_URL_CHARS = 2048;
export const MAX_VPDQ_FRAMES = 20_000;

const hex = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `must be ${digits} hexadecimal digits`)
    .transform((v) => v.toLowerCase());

export const PdqHex = hex(64);
export const Md5Hex = hex(32);
export const Sha256Hex = hex(64);
export const Quality = z.number().int().min(0).max(100);

export const ImageItem = z.strictObject({
  kind: z.literal('image'),
  pdq: PdqHex,
  quality: Quality,
  md5: Md5Hex,
  sha256: Sha256Hex,
});

export const VpdqFrame = z.strictObject({
  frame: z.number().int().min(0).max(100_000_000),
  timestamp: z.number().min(0).max(1_000_000),
  pdq: PdqHex,
  quality: Quality,
});

export const VideoItem = z.strictObject({
  kind: z.literal('video'),
  md5: Md5Hex,
  sha256: Sha256Hex,
  vpdq: z.array(VpdqFrame).max(MAX_VPDQ_FRAMES),
});

/** An http(s) link of at most MAX_URL_CHARS. */
export const HttpUrl = z
  .string()
  .max(MAX_URL_CHARS)
  .refine((v) => {
    if (!URL.canParse(v)) return false;
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0;
  }, 'must be an http(s) link');

export const UrlItem = z.strictObject({
  kind: z.literal('url'),
  url: HttpUrl,
});

export const ReportItem = z.discriminatedUnion('kind', [ImageItem, VideoItem, UrlItem]);
export type ReportItem = z.infer<typeof ReportItem>;

/** FR: 5 digits (department = first 2, or 2A/2B for Corsica); BE: 4 digits; elsewhere: up to 10 letters/digits. */
export const PostalCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z -]{2,10}$/, 'must be a postal code');

/** Why a postal code cannot be the country's (FR: 5 digits or 2A/2B + 3; BE: 4 digits), or null. */
export function postalCodeProblem(country: Country, postalCode: string): string | null {
  if (country === 'FR' && !/^(\d{5}|2[AB]\d{3})$/i.test(postalCode.trim())) return 'a French postal code has 5 digits';
  if (country === 'BE' && !/^\d{4}$/.test(postalCode.trim())) return 'a Belgian postal code has 4 digits';
  return null;
}

export const Contact = z.strictObject({
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .()-]{6,20}$/, 'must be a phone number')
    .optional(),
});

export const ReportRequest = z
  .strictObject({
    situations: z.array(Situation).min(1).max(16),
    ageGroup: AgeGroup,
    madeWhenMinor: z.boolean(),
    country: Country,
    postalCode: PostalCode.optional(),
    immediateDanger: z.boolean(),
    items: z.array(ReportItem).max(MAX_REPORT_ITEMS),
    summary: z.string().max(MAX_SUMMARY_CHARS).optional(),
    contact: Contact.optional(),
    consents: z.strictObject({ shareWithPartners: z.boolean(), contactMe: z.boolean() }),
    /** the language the person used: the team answers in it, e-mails are written in it (default fr) */
    language: Language.optional(),
  })
  .superRefine((report, ctx) => {
    if (new Set(report.situations).size !== report.situations.length) {
      ctx.addIssue({ code: 'custom', path: ['situations'], message: 'each situation at most once' });
    }
    const problem = report.postalCode === undefined ? null : postalCodeProblem(report.country, report.postalCode);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
  });
export type ReportRequest = z.input<typeof ReportRequest>;

export const REPORT_WARNINGS = [
  /** an image's quality is under 50: its fingerprint is kept, but it may not be recognised reliably */
  'IMAGE_TOO_UNIFORM',
] as const;

/** A remark on one item of a request (its index): accepted, but worth telling the person. */
export const ItemWarning = z.object({ code: z.enum(REPORT_WARNINGS), item: z.number().int() });

export const ReportCreated = z.object({
  /** HLT-XXXX-XXXX-XXXX: with the PIN, opens the follow-up */
  reference: z.string(),
  /** shown once; Halte keeps only a keyed hash of it and cannot show it again */
  pin: z.string(),
  warnings: z.array(ItemWarning),
  /** the help services for this situation, most urgent first (GET /api/orientation's items) */
  orientation: z.array(OrientationService),
});
export type ReportCreated = z.infer<typeof ReportCreated>;
