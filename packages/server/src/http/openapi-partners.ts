// The partner API in /api/openapi.json (decision 0018): /api/v1 with a bearer key, the StopNCII-compatible
// face with the StopNCII client's headers, and the staff's quarantine. With examples: partners integrate
// from this document and docs/partners.md.
import { AckRequest, AckResponse, FeedbackRequest, FeedbackResponse, FeedPage, MatchRequest, MatchResponse, QuarantineDecision, QuarantineList, type ApiError as ApiErrorShape } from '@halte/contract';
import type { z } from 'zod';

type Json = (s: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>;

const PDQ = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';

export function partnerPaths(json: Json, error: (description: string) => Record<string, unknown>): { paths: Record<string, unknown>; securitySchemes: Record<string, unknown> } {
  const example = (s: z.ZodType, value: unknown, io: 'input' | 'output' = 'output') => {
    const content = json(s, io) as { 'application/json': Record<string, unknown> };
    return { 'application/json': { ...content['application/json'], example: value } };
  };
  const errorExample = (description: string, value: ApiErrorShape) => {
    const e = error(description) as { description: string; content: { 'application/json': Record<string, unknown> } };
    return { description, content: { 'application/json': { ...e.content['application/json'], example: value } } };
  };
  const bearer = [{ partnerKey: [] }];
  const refused = {
    401: errorExample('no key, or an unknown, rotated or revoked one', { error: { code: 'PARTNER_KEY_INVALID', message: 'send a valid partner key in Authorization: Bearer <key>' } }),
    403: errorExample('the key lacks the scope', { error: { code: 'PARTNER_SCOPE_MISSING', message: 'this key does not have the "match" scope' } }),
    429: errorExample('the partner’s rate limit (Retry-After says when to come back)', { error: { code: 'RATE_LIMITED', message: 'this partner’s rate limit is reached: retry in 2 s' } }),
  };
  const feedItem = { id: 42, signalType: 'pdq', value: PDQ, quality: 100, videoId: null, provenance: 'analyst_verified', status: 'active', updatedAt: '2026-11-27T09:00:00.000Z' };
  const tombstone = { ...feedItem, id: 17, provenance: 'self_submitted', status: 'withdrawn' };
  const stopnciiKey = [{ stopnciiSubscriptionKey: [] }, { stopnciiFunctionKey: [] }];

  return {
    securitySchemes: {
      partnerKey: { type: 'http', scheme: 'bearer', description: 'A partner key (hk_…), printed once by `halte partner add` or `rotate`.' },
      stopnciiSubscriptionKey: { type: 'apiKey', in: 'header', name: 'Ocp-Apim-Subscription-Key', description: 'The same partner key, as the StopNCII client sends it.' },
      stopnciiFunctionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'Accepted when Ocp-Apim-Subscription-Key is absent.' },
    },
    paths: {
      '/api/v1/hashes': {
        get: {
          summary: 'The bank as a change feed (scope fetch): every hash once, then what changes; withdrawn hashes come as tombstones (status withdrawn: delete them, then POST /api/v1/acks)',
          security: bearer,
          parameters: [
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'the previous page’s nextCursor; empty: the whole bank from the start' },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 } },
          ],
          responses: {
            200: { description: 'a page; fewer items than limit: up to date (poll again with nextCursor)', content: example(FeedPage, { items: [feedItem, tombstone], nextCursor: 'v1.7312.42.Zm9vYmFyYmF6cXV4MTIz' }) },
            400: errorExample('an altered or foreign cursor, or a bad limit', { error: { code: 'CURSOR_INVALID', message: 'this cursor was not issued by Halte, or was altered: start again with an empty cursor' } }),
            ...refused,
          },
        },
      },
      '/api/v1/acks': {
        post: {
          summary: 'The tombstones this partner has applied (scope fetch): the person sees "withdrawal applied by N of M partners"',
          security: bearer,
          requestBody: { required: true, content: example(AckRequest, { hashIds: [17] }, 'input') },
          responses: { 200: { description: 'recorded; ids of active or unknown hashes are ignored', content: example(AckResponse, { acknowledged: 1, ignored: 0 }) }, 400: error('invalid'), ...refused },
        },
      },
      '/api/v1/match': {
        post: {
          summary: 'Match up to 1,000 hashes against the bank (scope match); never anything about the person',
          security: bearer,
          requestBody: {
            required: true,
            content: example(MatchRequest, { items: [{ signalType: 'pdq', value: PDQ, quality: 100 }, { signalType: 'md5', value: '0d12d4462273b533b9197f78b9aeb0d7' }] }, 'input'),
          },
          responses: {
            200: {
              description: 'one result per item, in order; pdq distance ≤ the partner’s maximum (≤ 31)',
              content: example(MatchResponse, { results: [{ index: 0, matches: [{ hashId: 42, signalType: 'pdq', provenance: 'analyst_verified', distance: 4 }] }, { index: 1, matches: [] }] }),
            },
            400: errorExample('malformed hashes, or more than 1,000 items', { error: { code: 'VALIDATION_FAILED', message: 'the request does not match the expected shape' } }),
            503: errorExample('this instance’s index is still loading (never a silent no-match): retry after Retry-After', { error: { code: 'INDEX_NOT_READY', message: 'the match index is loading: retry in a few seconds' } }),
            ...refused,
          },
        },
      },
      '/api/v1/feedback': {
        post: {
          summary: 'What the partner did with a match (scope feedback): blocked/removed reach the person’s timeline; false_positive suspends the hash until an analyst reviews it',
          security: bearer,
          requestBody: { required: true, content: example(FeedbackRequest, { hashId: 42, outcome: 'blocked', count: 1, url: 'https://platform.example/p/123' }, 'input') },
          responses: {
            200: { description: 'recorded', content: example(FeedbackResponse, { recorded: true, quarantined: false }) },
            400: error('invalid'),
            404: errorExample('no such hash', { error: { code: 'HASH_NOT_FOUND', message: 'no such hash in the bank' } }),
            ...refused,
          },
        },
      },
      '/api/stopncii/v1/FetchHashes': {
        get: {
          summary: 'StopNCII-compatible feed for Meta’s HMA / python-threatexchange (scope fetch): ImagePDQ and VideoMD5 records',
          security: stopnciiKey,
          parameters: [
            { name: 'startTimestamp', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 10 } },
            { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 10000, default: 800 } },
            { name: 'nextPageToken', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: {
            200: {
              description: 'a page of records',
              content: {
                'application/json': {
                  example: {
                    count: 1,
                    nextPageToken: '',
                    nextSetTimestamp: 1795770000,
                    hasMoreRecords: false,
                    hashRecords: [{ lastModtimestamp: 1795769990, signalType: 'ImagePDQ', hashValue: PDQ, hashStatus: 'Active', caseNumbers: { '42': 'Active' }, CSPFeedbacks: [] }],
                  },
                },
              },
            },
            400: error('invalid parameters or page token (CURSOR_INVALID)'),
            401: refused[401],
            403: refused[403],
          },
        },
      },
      '/api/stopncii/v1/SubmitFeedback': {
        post: {
          summary: 'StopNCII-compatible feedback (scope feedback): Blocked and NotBlocked are recorded like POST /api/v1/feedback',
          security: stopnciiKey,
          requestBody: { required: true, content: { 'application/json': { example: { count: 1, hashFeedbacks: [{ hashValue: PDQ, feedbackValue: 'Blocked', tags: [] }] } } } },
          responses: { 200: { description: 'recorded' }, 400: error('invalid'), 401: refused[401], 403: refused[403] },
        },
      },
      '/api/stopncii/v1/SubmitHashes': {
        post: {
          summary: 'StopNCII-compatible submission (scope feedback): kept for analysts, never shared as such',
          security: stopnciiKey,
          requestBody: { required: true, content: { 'application/json': { example: { count: 1, hashRecords: [{ lastModtimestamp: 1795769990, signalType: 'ImagePDQ', hashValue: PDQ, CSPFeedbacks: [{ tags: [], feedbackValue: 'Blocked' }] }] } } } },
          responses: { 200: { description: 'kept' }, 400: error('invalid'), 401: refused[401], 403: refused[403] },
        },
      },
      '/api/staff/bank/quarantine': {
        get: { summary: 'Hashes suspended after a false positive or an abnormal count (analysts)', responses: { 200: { description: 'oldest first', content: json(QuarantineList) }, 401: error('no staff session'), 403: error('role') } },
      },
      '/api/staff/bank/hashes/{id}/review': {
        post: {
          summary: 'Restore a suspended hash (back in the feed and matching) or reject it (its item is withdrawn for good); audited',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } },
            { name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: json(QuarantineDecision, 'input') },
          responses: { 204: { description: 'done' }, 400: error('invalid'), 401: error('no staff session'), 403: error('role or CSRF'), 404: error('not in quarantine (HASH_NOT_FOUND)') },
        },
      },
    },
  };
}
