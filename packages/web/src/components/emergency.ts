// The numbers to call at once when someone is in danger, by country (shared/legal/help-services.json:
// fr-17-police, fr-112, fr-114 (SMS, for people who cannot speak or hear), be-101, be-112). Shown
// before anything else when a person says they are in danger, and on the home page.
import type { Country } from '@halte/contract';

import type { MessageKey } from '../i18n/catalogues';

export interface EmergencyNumber {
  readonly number: string;
  readonly channel: 'phone' | 'sms';
  readonly label: MessageKey;
}

export const EMERGENCY_NUMBERS: Readonly<Record<Country, readonly EmergencyNumber[]>> = {
  FR: [
    { number: '17', channel: 'phone', label: 'danger.fr.17' },
    { number: '112', channel: 'phone', label: 'danger.fr.112' },
    { number: '114', channel: 'sms', label: 'danger.fr.114' },
  ],
  BE: [
    { number: '101', channel: 'phone', label: 'danger.be.101' },
    { number: '112', channel: 'phone', label: 'danger.be.112' },
  ],
  other: [{ number: '112', channel: 'phone', label: 'danger.other.112' }],
};

export function emergencyHref({ number, channel }: EmergencyNumber): string {
  return `${channel === 'sms' ? 'sms' : 'tel'}:${number}`;
}
