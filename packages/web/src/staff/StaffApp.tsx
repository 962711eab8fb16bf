// The staff area's entry, loaded on its own (React.lazy in main.tsx) only under /staff: the public
// bundle holds none of it. /staff/enrol is the enrolment link; everything else is the logged-in area.
import { EnrolPage } from './enrol/EnrolPage';
import { StaffI18nProvider } from './i18n/I18n';
import { isEnrolmentPath } from './routes';
import { StaffShell } from './shell/StaffShell';
import './staff.css';

export default function StaffApp() {
  return <StaffI18nProvider>{isEnrolmentPath(window.location.pathname) ? <EnrolPage /> : <StaffShell />}</StaffI18nProvider>;
}
