// The staff area at /staff: the login form until a session is open, then the top bar and the page of
// the hash route. The session is checked with GET /api/staff/me when this tab holds a CSRF token;
// without one it could read but not act, so it logs in again. Any request answered "session required"
// (30 minutes idle, expired, logged out elsewhere, account disabled) brings the login form back with
// the reason, and drops every page's state (case data included) with the tree.
import type { StaffAction, StaffMe } from '@halte/contract';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { useFocusTitleOnNavigation } from '../../components/useFocusTitleOnNavigation';
import { createStaffApi, type StaffApi } from '../api';
import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { INITIAL_KEY_STATE, keyTarget, shortcut, type KeyState } from '../keyboard';
import { goTo, PAGE_PERMISSION, parseStaffRoute, routeKey, useStaffHash, type StaffRoute } from '../routes';
import { FailureText } from '../ui/Feedback';
import { PageTitle } from '../ui/PageTitle';
import { StaffSessionContext, useStaffSession, type PageKeys, type StaffSession } from './context';
import { LoginForm } from './LoginForm';
import { ShortcutHelp } from './ShortcutHelp';
import { LoggedOutFrame, TopBar } from './TopBar';
import { AccountsPage } from '../admin/AccountsPage';
import { AuditPage } from '../admin/AuditPage';
import { SettingsPage } from '../admin/SettingsPage';
import { QuarantinePage } from '../bank/QuarantinePage';
import { DuePage } from '../notices/DuePage';
import { HostsPage } from '../notices/HostsPage';
import { CasePage } from '../case/CasePage';
import { QueuePage } from '../queue/QueuePage';
import { useQueue } from '../queue/useQueue';

type Auth =
  | { readonly kind: 'checking' }
  | { readonly kind: 'unreachable'; readonly words: Words }
  | { readonly kind: 'login'; readonly notice: Words | null }
  | { readonly kind: 'in'; readonly me: StaffMe };

export function StaffShell() {
  const { tr } = useStaffI18n();
  const api = useMemo(() => createStaffApi(), []);
  const [auth, setAuth] = useState<Auth>(() => (api.hasCsrfToken() ? { kind: 'checking' } : { kind: 'login', notice: null }));

  const check = useCallback(async () => {
    setAuth({ kind: 'checking' });
    const result = await api.me();
    if (result.ok) return setAuth({ kind: 'in', me: result.data });
    // A lost session is answered by the listener below; anything else (offline…) is said here.
    if (result.failure.kind !== 'http' || (result.failure.status !== 401 && result.failure.status !== 403)) setAuth({ kind: 'unreachable', words: failureWords(result.failure) });
  }, [api]);

  useEffect(() => {
    if (api.hasCsrfToken()) void check();
    // once, at start: later checks are the retry button's
  }, [api, check]);

  useEffect(
    () => api.onSessionLoss((loss) => setAuth({ kind: 'login', notice: { key: loss === 'csrf' ? 'session.csrf' : 'session.ended' } })),
    [api],
  );

  const logout = useCallback(
    async (everywhere: boolean) => {
      const result = await api.logout(everywhere);
      setAuth({ kind: 'login', notice: { key: !result.ok ? 'session.logoutFailed' : everywhere ? 'session.loggedOutEverywhere' : 'session.loggedOut' } });
    },
    [api],
  );

  switch (auth.kind) {
    case 'checking':
      return (
        <LoggedOutFrame>
          <p role="status" className="staff-status">
            {tr('session.checking')}
          </p>
        </LoggedOutFrame>
      );
    case 'unreachable':
      return (
        <LoggedOutFrame>
          <PageTitle>{tr('login.title')}</PageTitle>
          <FailureText words={auth.words} testId="session-error" />
          <button type="button" className="button-primary" onClick={() => void check()} data-testid="session-retry">
            {tr('common.retry')}
          </button>
        </LoggedOutFrame>
      );
    case 'login':
      return (
        <LoggedOutFrame>
          <LoginForm api={api} notice={auth.notice} onLoggedIn={(me) => setAuth({ kind: 'in', me })} />
        </LoggedOutFrame>
      );
    case 'in':
      return <LoggedIn api={api} me={auth.me} onLogout={logout} />;
  }
}

function LoggedIn({ api, me, onLogout }: { api: StaffApi; me: StaffMe; onLogout: (everywhere: boolean) => Promise<void> }) {
  const { tr } = useStaffI18n();
  const hash = useStaffHash();
  const route = useMemo(() => parseStaffRoute(hash), [hash]);
  const [helpOpen, setHelpOpen] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const pageKeys = useRef<{ current: PageKeys } | null>(null);
  const keyState = useRef<KeyState>(INITIAL_KEY_STATE);
  // The queue's filters, rows and selection outlive a visit to a case.
  const queue = useQueue(api, me);

  const session = useMemo<StaffSession>(
    () => ({
      api,
      me,
      can: (action: StaffAction) => me.permissions.includes(action),
      registerKeys: (keys) => {
        pageKeys.current = keys;
      },
    }),
    [api, me],
  );

  // Focus moves to the new page's title after a move (not on the first page: the browser starts there).
  const key = routeKey(route);
  useFocusTitleOnNavigation(key);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      const keys = pageKeys.current?.current ?? null;
      const outcome = shortcut(
        keyState.current,
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          target: keyTarget(target === null ? null : { tagName: target.tagName, isContentEditable: target.isContentEditable, role: target.getAttribute('role') }),
          at: event.timeStamp,
        },
        { page: keys?.page ?? 'other', count: keys?.count ?? 0, selected: keys?.selected ?? -1, helpOpen: document.querySelector('dialog.staff-dialog[open]') !== null },
      );
      keyState.current = outcome.state;
      const command = outcome.command;
      if (command === null) return;
      event.preventDefault();
      if (command.kind === 'toggle-help') setHelpOpen((open) => !open);
      else if (command.kind === 'close-help') setHelpOpen(false);
      else if (command.kind === 'to-queue') goTo({ page: 'queue' });
      else keys?.onCommand(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const logout = (everywhere: boolean) => {
    setLoggingOut(true);
    void onLogout(everywhere);
  };

  return (
    <StaffSessionContext.Provider value={session}>
      <div className="staff-app">
        <a className="skip-link" href="#main" onClick={(event) => {
          // "#main" would be read as a route: move focus by hand.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}>
          {tr('app.skip')}
        </a>
        <TopBar me={me} current={route.page} onHelp={() => setHelpOpen(true)} onLogout={logout} loggingOut={loggingOut} />
        <main id="main" className="staff-main" tabIndex={-1}>
          <Page route={route} queue={queue} />
        </main>
        <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      </div>
    </StaffSessionContext.Provider>
  );
}

function Page({ route, queue }: { route: StaffRoute; queue: ReturnType<typeof useQueue> }) {
  const { tr } = useStaffI18n();
  const { can } = useStaffSession();
  if (!can(PAGE_PERMISSION[route.page])) {
    return (
      <>
        <PageTitle>{tr('denied.title')}</PageTitle>
        <p data-testid="page-denied">{tr('denied.body')}</p>
      </>
    );
  }
  switch (route.page) {
    case 'queue':
      return <QueuePage queue={queue} />;
    case 'case':
      return <CasePage key={route.id} id={route.id} onClaimed={queue.markClaimed} />;
    case 'bank':
      return <QuarantinePage />;
    case 'due':
      return <DuePage />;
    case 'hosts':
      return <HostsPage />;
    case 'audit':
      return <AuditPage />;
    case 'settings':
      return <SettingsPage />;
    case 'accounts':
      return <AccountsPage />;
  }
}
