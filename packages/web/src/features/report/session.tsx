// The report in progress, held in memory only (never in web storage) for as long as the app is open:
// answers, step, the pictures' and videos' hashing queue, the sending, and the case created. Wiped on finish, on
// quick exit (the tree is unmounted) and when the tab closes.
import type { OrientationRequest, ReportCreated } from '@halte/contract';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

import { createReport } from '../../api/client';
import { failureMessages } from '../../api/errors';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';
import { readyHashes, type MediaEntry, type MediaQueue } from './hashing/media-queue';
import { useMediaQueue } from './hashing/useMediaQueue';
import { submissionFor, type Submission } from './idempotency';
import { buildReportRequest, EMPTY_ANSWERS, type Answers, type Problem, type Step } from './wizard';

/** What the done screen needs once the answers are gone. */
export interface CreatedCase {
  readonly created: ReportCreated;
  readonly sentAt: Date;
  /** to ask for the help services again if the answer did not carry them */
  readonly orientationQuery: OrientationRequest;
}

export type SubmitOutcome = { readonly ok: true } | { readonly ok: false; readonly problems: readonly Problem[] } | { readonly ok: false; readonly failure: readonly MessageKey[] };

interface ReportSession {
  readonly answers: Answers;
  readonly update: (patch: Partial<Answers>) => void;
  readonly step: Step;
  readonly setStep: (step: Step) => void;
  /** the pictures and videos chosen, with their hashing state */
  readonly images: readonly MediaEntry[];
  readonly queue: MediaQueue;
  /** a link typed but not yet added (kept across steps like the rest) */
  readonly linkDraft: string;
  readonly setLinkDraft: (value: string) => void;
  readonly sending: boolean;
  readonly failure: readonly MessageKey[] | null;
  readonly submit: () => Promise<SubmitOutcome>;
  readonly createdCase: CreatedCase | null;
  readonly finish: () => void;
}

const SessionContext = createContext<ReportSession | null>(null);

export function ReportSessionProvider({ children }: { children: ReactNode }) {
  const { queue, entries } = useMediaQueue();
  const { language } = useI18n();
  const [answers, setAnswers] = useState<Answers>(EMPTY_ANSWERS);
  const [step, setStep] = useState<Step>('situations');
  const [linkDraft, setLinkDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<readonly MessageKey[] | null>(null);
  const [createdCase, setCreatedCase] = useState<CreatedCase | null>(null);
  const submission = useRef<Submission | null>(null);

  const update = useCallback((patch: Partial<Answers>) => setAnswers((current) => ({ ...current, ...patch })), []);

  const submit = useCallback(async (): Promise<SubmitOutcome> => {
    const built = buildReportRequest(answers, readyHashes(entries));
    if (!built.ok) return { ok: false, problems: built.problems };
    // the team answers in the language the person used
    built.body.language = language;
    // Same body as the failed attempt: same key, so the server answers with the case it may already
    // have created instead of creating a second one.
    submission.current = submissionFor(built.body, submission.current);
    setSending(true);
    setFailure(null);
    const result = await createReport(built.body, submission.current.key);
    setSending(false);
    if (!result.ok) {
      if (result.failure.kind === 'http' && result.failure.code === 'IDEMPOTENCY_KEY_REUSED') submission.current = null;
      const lines = failureMessages(result.failure, 'report');
      setFailure(lines);
      return { ok: false, failure: lines };
    }
    setCreatedCase({
      created: result.data,
      sentAt: new Date(),
      orientationQuery: { situations: built.body.situations, age: built.body.ageGroup, country: built.body.country, danger: built.body.immediateDanger },
    });
    // Sent: the answers, the thumbnails and the files' handles are no longer needed here.
    submission.current = null;
    queue.reset();
    setAnswers(EMPTY_ANSWERS);
    setLinkDraft('');
    setStep('situations');
    return { ok: true };
  }, [answers, entries, queue, language]);

  const finish = useCallback(() => {
    setCreatedCase(null);
    setFailure(null);
  }, []);

  const value = useMemo<ReportSession>(
    () => ({ answers, update, step, setStep, images: entries, queue, linkDraft, setLinkDraft, sending, failure, submit, createdCase, finish }),
    [answers, update, step, entries, queue, linkDraft, sending, failure, submit, createdCase, finish],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useReportSession(): ReportSession {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useReportSession outside ReportSessionProvider');
  return session;
}
