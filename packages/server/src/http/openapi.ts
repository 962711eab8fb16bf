// /api/openapi.json, generated from the contract's zod schemas (inputs as clients send them).
import {
  AddItemsRequest,
  ApiError,
  CaseWithdrawn,
  FollowupExport,
  FollowupLogin,
  FollowupOpened,
  FollowupView,
  ItemsAdded,
  MessageSent,
  MessageRequest,
  OrientationResponse,
  ReportCreated,
  ReportRequest,
} from '@halte/contract';
import { z } from 'zod';

import { VERSION } from '../version.js';

function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const json = (s: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: schema(s, io) } });
const error = (description: string) => ({ description, content: json(ApiError) });

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Halte API',
      version: VERSION,
      description: 'Reports (fingerprints only, never images), follow-up with reference + PIN, orientation to help services.',
    },
    paths: {
      '/api/health': { get: { summary: 'Health: database reachable and migrations current', responses: { 200: { description: 'ok' }, 503: { description: 'not ready' } } } },
      '/api/reports': {
        post: {
          summary: 'Report: situation, fingerprints and links; answers a reference, a PIN (once) and where to get help',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,128}$' } }],
          requestBody: { required: true, content: json(ReportRequest, 'input') },
          responses: { 201: { description: 'the case is created', content: json(ReportCreated) }, 400: error('invalid'), 413: error('too large'), 422: error('Idempotency-Key reused with another body') },
        },
      },
      '/api/orientation': {
        get: {
          summary: 'The help services for a situation, age group and country, most urgent first',
          parameters: [
            { name: 'situations', in: 'query', required: false, schema: { type: 'string' }, description: 'comma-separated situations' },
            { name: 'age', in: 'query', required: true, schema: { enum: ['minor', 'adult'] } },
            { name: 'country', in: 'query', required: true, schema: { enum: ['FR', 'BE', 'other'] } },
            { name: 'danger', in: 'query', required: true, schema: { enum: ['true', 'false'] } },
          ],
          responses: { 200: { description: 'ordered services', content: json(OrientationResponse) }, 400: error('invalid query') },
        },
      },
      '/api/followup/session': {
        post: { summary: 'Open the follow-up with reference + PIN (sets an HttpOnly cookie)', requestBody: { required: true, content: json(FollowupLogin, 'input') }, responses: { 201: { description: 'opened', content: json(FollowupOpened) }, 400: error('invalid'), 401: error('no match'), 429: error('locked for a while') } },
        delete: { summary: 'Close the follow-up session', responses: { 204: { description: 'closed' } } },
      },
      '/api/followup': { get: { summary: 'Status, timeline, items and messages of one’s case', responses: { 200: { description: 'the case', content: json(FollowupView) }, 401: error('no session') } } },
      '/api/followup/items': { post: { summary: 'Add links or fingerprints', requestBody: { required: true, content: json(AddItemsRequest, 'input') }, responses: { 201: { description: 'added', content: json(ItemsAdded) }, 400: error('invalid'), 401: error('no session'), 409: error('withdrawn') } } },
      '/api/followup/messages': { post: { summary: 'Write to the team', requestBody: { required: true, content: json(MessageRequest, 'input') }, responses: { 201: { description: 'sent', content: json(MessageSent) }, 400: error('invalid'), 401: error('no session'), 409: error('withdrawn') } } },
      '/api/followup/export': { get: { summary: 'Everything Halte holds about one’s case (GDPR art. 15/20)', responses: { 200: { description: 'JSON, as a download', content: json(FollowupExport) }, 401: error('no session') } } },
      '/api/followup/withdraw': { post: { summary: 'Withdraw: personal data erased, fingerprints become tombstones', responses: { 200: { description: 'withdrawn (again: unchanged)', content: json(CaseWithdrawn) }, 401: error('no session') } } },
    },
  };
}
