// /api/openapi.json, generated from the contract's zod schemas (inputs as clients send them).
import {
  ChatControlApplied,
  ChatControlRequest,
  ChatMessages,
  ChatStarted,
  ChatStartRequest,
  ChatTaken,
  CounsellorMessageRequest,
  DutyRequest,
  CaseTakedowns,
  DueList,
  EscalateRequest,
  HostDirectory,
  HostEntryInput,
  HostEntryView,
  HostReplyAdded,
  HostReplyRequest,
  LinksRequest,
  NoticeCreated,
  NoticeOutcomeAnswer,
  NoticeOutcomeRequest,
  NoticePreviews,
  NoticeRequest,
  NoticesCreated,
  TakedownMoveRequest,
  AddItemsRequest,
  AnswerDraft,
  AnswerRequest,
  AnswerSent,
  AssigneeList,
  AssignRequest,
  CaseDetail,
  DeadlineRequest,
  NoteRequest,
  QualificationRequest,
  QueuePage,
  ReviewRequest,
  Settings,
  Statistics,
  StatusRequest,
  ApiError,
  AuditPage,
  CreateStaffRequest,
  EnrolmentDone,
  EnrolmentLink,
  EnrolmentPasswordRequest,
  EnrolmentTotp,
  EnrolmentTotpRequest,
  StaffAccountChanged,
  StaffAccountList,
  StaffLoginRequest,
  StaffMe,
  StaffSessionOpened,
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
import { partnerPaths } from './openapi-partners.js';

function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const json = (s: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: schema(s, io) } });
const error = (description: string) => ({ description, content: json(ApiError) });

export function openApiDocument(): Record<string, unknown> {
  const partners = partnerPaths(json, error);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Halte API',
      version: VERSION,
      description:
        'Reports (fingerprints only, never images), follow-up with reference + PIN, orientation to help services, and the hash bank’s partner API (/api/v1, docs/partners.md).',
    },
    components: { securitySchemes: partners.securitySchemes },
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
      ...staffPaths(),
      ...casePaths(),
      ...chatPaths(),
      ...partners.paths,
    },
  };
}

// Live chat (decision 0020): the person's chat is a token; the socket speaks the contract's frames.
function chatPaths(): Record<string, unknown> {
  const csrf = [{ name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } }];
  const chatId = [{ name: 'chatId', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } }];
  const session = { 401: error('no staff session'), 403: error('role or CSRF') };
  return {
    '/api/chat': {
      post: {
        summary: 'Start a chat: the three questions (no account); answers the chat’s token, to keep in the tab’s memory only',
        requestBody: { required: true, content: json(ChatStartRequest, 'input') },
        responses: { 201: { description: 'waiting', content: json(ChatStarted) }, 400: error('invalid'), 403: error('from another site') },
      },
    },
    '/api/chat/ws': {
      get: {
        summary: 'The person’s WebSocket: first frame `hello {token, lastSeq}`; then the contract’s ChatServerFrame (welcome, queue, message, ack, state, control, error) and ChatClientFrame (message with a client id, typing, leave)',
        responses: { 101: { description: 'switching to the WebSocket protocol' } },
      },
    },
    '/api/staff/chat/duty': { put: { summary: 'On or off duty, and the cap of simultaneous chats', parameters: csrf, requestBody: { required: true, content: json(DutyRequest, 'input') }, responses: { 204: { description: 'done' }, 400: error('invalid'), ...session } } },
    '/api/staff/chat/next': {
      post: { summary: 'Take the most urgent waiting chat (risk, then ageing)', parameters: csrf, responses: { 200: { description: 'taken', content: json(ChatTaken) }, ...session, 404: error('nobody waits (QUEUE_EMPTY)'), 409: error('off duty or at capacity (COUNSELLOR_OFF_DUTY, COUNSELLOR_AT_CAPACITY)') } },
    },
    '/api/staff/chat/{chatId}/messages': {
      get: { summary: 'The messages of one’s chat after a number', parameters: [...chatId, { name: 'after', in: 'query', required: false, schema: { type: 'string' } }], responses: { 200: { description: 'the messages', content: json(ChatMessages) }, 400: error('invalid'), ...session, 404: error('not one of yours (CHAT_NOT_FOUND)') } },
      post: { summary: 'Write in one’s chat', parameters: [...chatId, ...csrf], requestBody: { required: true, content: json(CounsellorMessageRequest, 'input') }, responses: { 201: { description: 'its number' }, 400: error('invalid'), ...session, 404: error('CHAT_NOT_FOUND'), 409: error('ended (CHAT_ENDED)') } },
    },
    '/api/staff/chat/{chatId}/control': {
      post: {
        summary: 'Slow down, mute (for a while) or block one’s chat, or lift it: one step at a time, never a mute or block on a person who may be at risk; the person is told at once',
        parameters: [...chatId, ...csrf],
        requestBody: { required: true, content: json(ChatControlRequest, 'input') },
        responses: { 200: { description: 'applied', content: json(ChatControlApplied) }, 400: error('invalid'), ...session, 404: error('CHAT_NOT_FOUND'), 409: error('CHAT_CONTROL_REFUSED') },
      },
    },
    '/api/staff/chat/{chatId}/end': { post: { summary: 'End one’s chat', parameters: [...chatId, ...csrf], responses: { 204: { description: 'ended' }, ...session, 404: error('CHAT_NOT_FOUND') } } },
  };
}

// Staff (decision 0014): the session is the cookie `halte_staff`; state changes also send the CSRF token
// given at login in `x-csrf-token`.
function staffPaths(): Record<string, unknown> {
  const csrf = [{ name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } }];
  const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } }];
  const session = { 401: error('no staff session'), 403: error('CSRF token missing or wrong, another site, or a role that does not allow it') };
  const enrolmentErrors = { 400: error('invalid: link, password or code'), 409: error('not this step'), 410: error('link expired or used') };
  return {
    '/api/staff/enrolment/password': {
      post: { summary: 'Enrolment, step 1: the link’s token and a password; answers the authenticator’s secret, once', requestBody: { required: true, content: json(EnrolmentPasswordRequest, 'input') }, responses: { 200: { description: 'the TOTP secret', content: json(EnrolmentTotp) }, ...enrolmentErrors } },
    },
    '/api/staff/enrolment/totp': {
      post: { summary: 'Enrolment, step 2: a code from the authenticator; the account becomes active', requestBody: { required: true, content: json(EnrolmentTotpRequest, 'input') }, responses: { 200: { description: 'active', content: json(EnrolmentDone) }, ...enrolmentErrors } },
    },
    '/api/staff/session': {
      post: { summary: 'Log in: e-mail, password, TOTP code (sets the halte_staff cookie; answers the CSRF token)', requestBody: { required: true, content: json(StaffLoginRequest, 'input') }, responses: { 201: { description: 'logged in', content: json(StaffSessionOpened) }, 400: error('invalid'), 401: error('no match (one answer for every cause)'), 429: error('locked for a while') } },
    },
    '/api/staff/me': { get: { summary: 'The logged-in account and what its role allows', responses: { 200: { description: 'the account', content: json(StaffMe) }, 401: error('no staff session') } } },
    '/api/staff/logout': { post: { summary: 'End this session', parameters: csrf, responses: { 204: { description: 'ended' }, ...session } } },
    '/api/staff/logout-everywhere': { post: { summary: 'End every session of the account', parameters: csrf, responses: { 204: { description: 'ended' }, ...session } } },
    '/api/staff/accounts': {
      get: { summary: 'Staff accounts (admins)', responses: { 200: { description: 'the accounts', content: json(StaffAccountList) }, ...session } },
      post: { summary: 'Add an account (admins): answers its one-time enrolment link', parameters: csrf, requestBody: { required: true, content: json(CreateStaffRequest, 'input') }, responses: { 201: { description: 'created', content: json(EnrolmentLink) }, 400: error('invalid'), ...session, 409: error('the address has an account') } },
    },
    '/api/staff/accounts/{id}/disable': { post: { summary: 'Disable an account (admins): its sessions end at once', parameters: [...id, ...csrf], responses: { 200: { description: 'disabled', content: json(StaffAccountChanged) }, ...session, 404: error('no such account'), 409: error('one’s own account') } } },
    '/api/staff/accounts/{id}/enable': { post: { summary: 'Re-enable an account (admins)', parameters: [...id, ...csrf], responses: { 200: { description: 'enabled', content: json(StaffAccountChanged) }, ...session, 404: error('no such account') } } },
    '/api/staff/accounts/{id}/enrolment-link': { post: { summary: 'Reset (admins): password and authenticator forgotten, sessions ended, a new enrolment link', parameters: [...id, ...csrf], responses: { 201: { description: 'the new link', content: json(EnrolmentLink) }, ...session, 404: error('no such account'), 409: error('one’s own account') } } },
    '/api/staff/audit': {
      get: {
        summary: 'The audit log, newest first (supervisors, admins)',
        parameters: [
          { name: 'before', in: 'query', required: false, schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description: 'entries before this one (the previous page’s nextBefore)' },
          { name: 'limit', in: 'query', required: false, schema: { type: 'string', pattern: '^[1-9][0-9]*$' }, description: 'at most 200 (default 50)' },
        ],
        responses: { 200: { description: 'a page', content: json(AuditPage) }, 400: error('invalid query'), ...session },
      },
    },
  };
}

// Case work (decision 0017): behind the staff session; every case action is decided per case (child-safety
// permission, assignee), refusals audited.
function casePaths(): Record<string, unknown> {
  const csrf = [{ name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } }];
  const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } }];
  const q = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
  const refused = {
    400: error('invalid'),
    401: error('no staff session'),
    403: error('CSRF token, another site, role (STAFF_PERMISSION_DENIED) or assigned to someone else (CASE_NOT_ASSIGNEE)'),
    404: error('no such case, or a minor’s case without the child-safety permission (CASE_NOT_FOUND)'),
  };
  const change = (summary: string, body: z.ZodType | null, extra: Record<string, unknown> = {}, ok: Record<string, unknown> = { 204: { description: 'done' } }) => ({
    summary,
    parameters: [...id, ...csrf],
    ...(body ? { requestBody: { required: true, content: json(body, 'input') } } : {}),
    responses: { ...ok, ...refused, 409: error('withdrawn (CASE_WITHDRAWN) or a move the workflow refuses (CASE_TRANSITION_REFUSED)'), ...extra },
  });
  return {
    '/api/staff/cases': {
      get: {
        summary: 'The queue, most urgent first (priority: contract PRIORITY); minors’ cases only with the child-safety permission; analysts see unassigned cases and their own',
        parameters: [
          q('status', 'comma-separated statuses (default: new, triaged, in_progress, waiting)'),
          q('situation', 'one situation'),
          q('country', 'FR, BE or other'),
          q('assignee', 'me, none, or an account number'),
          q('reference', 'a case reference: that case only'),
          q('limit', '1 to 100 (default 50)'),
          q('cursor', 'the previous page’s nextCursor'),
        ],
        responses: { 200: { description: 'a page', content: json(QueuePage) }, 400: error('invalid query'), 401: error('no staff session'), 403: error('role') },
      },
    },
    '/api/staff/cases/{id}': { get: { summary: 'A case, decrypted (the read is audited)', parameters: id, responses: { 200: { description: 'the case', content: json(CaseDetail) }, ...refused } } },
    '/api/staff/cases/{id}/claim': { post: change('Take an unassigned case', null) },
    '/api/staff/cases/{id}/assign': { post: change('Give a case to an account, or back to the queue (supervisors)', AssignRequest, { 422: error('the account cannot take it (ASSIGNEE_INVALID)') }) },
    '/api/staff/cases/{id}/status': { post: change('Move the case in its workflow (reopening: supervisors)', StatusRequest) },
    '/api/staff/cases/{id}/qualification': { put: change('The offences retained (the whole list)', QualificationRequest, { 422: error('not an offence of the case’s country (OFFENCE_UNKNOWN)') }) },
    '/api/staff/cases/{id}/notes': { post: change('An internal note (never shown to the person)', NoteRequest, {}, { 201: { description: 'added' } }) },
    '/api/staff/cases/{id}/items/{itemId}/review': {
      post: {
        ...change('Hash review: verified or rejected (rejected fingerprints are never shared)', ReviewRequest),
        parameters: [...id, { name: 'itemId', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } }, ...csrf],
      },
    },
    '/api/staff/cases/{id}/deadline': { put: change('The sextortion deadline the blackmailer gave, or null', DeadlineRequest) },
    '/api/staff/cases/{id}/answer-draft': {
      get: {
        summary: 'A draft answer from a template, filled from the case (to edit before sending)',
        parameters: [...id, q('template', 'first_answer, update or closing'), q('language', 'fr or en (default: the case’s)')],
        responses: { 200: { description: 'the draft', content: json(AnswerDraft) }, ...refused },
      },
    },
    '/api/staff/cases/{id}/answer': { post: change('Send an answer to the person’s follow-up (and an e-mail saying a message waits, if they gave an address)', AnswerRequest, {}, { 201: { description: 'sent', content: json(AnswerSent) } }) },
    // takedown notices (issue 7)
    '/api/staff/cases/{id}/takedowns': { get: { summary: 'The case’s links with their removal state, its notices (texts decrypted) and the hosts’ replies (audited)', parameters: id, responses: { 200: { description: 'the links', content: json(CaseTakedowns) }, ...refused } } },
    '/api/staff/cases/{id}/notices/preview': {
      post: change('The notices the chosen links would get, one per host (or per link): the exact text', NoticeRequest, { 404: error('no such case or link (ITEM_NOT_FOUND)'), 409: error('a link not in a state for this kind of notice (TAKEDOWN_MOVE_REFUSED)'), 422: error('a host not in the directory (HOST_UNKNOWN), no such channel (CHANNEL_INVALID), no notifier address (NOTIFIER_EMAIL_MISSING)') }, { 200: { description: 'the previews', content: json(NoticePreviews) } }),
    },
    '/api/staff/cases/{id}/notices': {
      post: change('Send (e-mail, from a durable job, at most once) or prepare (forms) a notice per host; content involving a minor is also routed to child protection', NoticeRequest, { 404: error('no such case or link (ITEM_NOT_FOUND)'), 409: error('a link already notified, or a notice about it still waiting (TAKEDOWN_MOVE_REFUSED, NOTICE_STATE_CONFLICT)'), 422: error('HOST_UNKNOWN, CHANNEL_INVALID or NOTIFIER_EMAIL_MISSING') }, { 201: { description: 'the notices made', content: json(NoticesCreated) } }),
    },
    '/api/staff/cases/{id}/notices/{noticeId}/pdf': {
      get: { summary: 'The notice as a PDF (audited)', parameters: [...id, { name: 'noticeId', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }], responses: { 200: { description: 'the PDF', content: { 'application/pdf': {} } }, ...refused } },
    },
    '/api/staff/cases/{id}/notices/{noticeId}/outcome': {
      post: {
        ...change('The analyst’s word on a notice: a form submitted, an uncertain e-mail found sent or to resend, or cancelled', NoticeOutcomeRequest, { 404: error('no such notice (NOTICE_NOT_FOUND)'), 409: error('not possible in the notice’s state (NOTICE_STATE_CONFLICT)') }, { 200: { description: 'the notice’s new state', content: json(NoticeOutcomeAnswer) } }),
        parameters: [...id, { name: 'noticeId', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } }, ...csrf],
      },
    },
    '/api/staff/cases/{id}/takedowns/move': { post: change('Move links (acknowledged, removed, refused, back to reported)', TakedownMoveRequest, { 409: error('a move the link cannot make (TAKEDOWN_MOVE_REFUSED)') }) },
    '/api/staff/cases/{id}/takedowns/escalate': { post: change('Prepare a report to an authority or a trusted flagger for the links', EscalateRequest, { 422: error('not for this case (ESCALATION_REFUSED)') }, { 201: { description: 'the report made (to submit through its form)', content: json(NoticeCreated) } }) },
    '/api/staff/cases/{id}/takedowns/replies': { post: change('A host’s reply, pasted, and what it means for the links', HostReplyRequest, { 409: error('TAKEDOWN_MOVE_REFUSED') }, { 201: { description: 'added', content: json(HostReplyAdded) } }) },
    '/api/staff/cases/{id}/takedowns/recheck': { post: change('Check the links now (a job: HEAD then a bounded GET, private addresses refused)', LinksRequest, {}, { 202: { description: 'queued' } }) },
    '/api/staff/cases/{id}/takedowns/dismiss-removal': { post: change('Dismiss a check’s proposal that the links were removed', LinksRequest) },
    '/api/staff/takedowns/due': { get: { summary: 'What is due by the end of today (UTC) across the cases this account works', responses: { 200: { description: 'the list', content: json(DueList) }, 401: error('no staff session'), 403: error('role') } } },
    '/api/staff/hosts': { get: { summary: 'The host directory', responses: { 200: { description: 'the entries', content: json(HostDirectory) }, 401: error('no staff session'), 403: error('role') } } },
    '/api/staff/hosts/{hostId}': {
      put: {
        summary: 'Add or replace a directory entry (admins; audited)',
        parameters: [{ name: 'hostId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, ...csrf],
        requestBody: { required: true, content: json(HostEntryInput, 'input') },
        responses: { 200: { description: 'the entry', content: json(HostEntryView) }, 400: error('invalid'), 401: error('no staff session'), 403: error('role or CSRF') },
      },
    },
    '/api/staff/assignees': { get: { summary: 'Active accounts a case can be given to (supervisors)', responses: { 200: { description: 'the accounts', content: json(AssigneeList) }, 401: error('no staff session'), 403: error('role') } } },
    '/api/staff/statistics': { get: { summary: 'Counts by status and missed response targets (supervisors)', responses: { 200: { description: 'counts', content: json(Statistics) }, 401: error('no staff session'), 403: error('role') } } },
    '/api/staff/settings': {
      get: { summary: 'Settings (admins)', responses: { 200: { description: 'the settings', content: json(Settings) }, 401: error('no staff session'), 403: error('role') } },
      put: { summary: 'Change the settings (admins; audited)', parameters: csrf, requestBody: { required: true, content: json(Settings, 'input') }, responses: { 200: { description: 'the settings', content: json(Settings) }, 400: error('invalid'), 401: error('no staff session'), 403: error('role or CSRF') } },
    },
  };
}
