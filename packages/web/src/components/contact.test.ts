import { describe, expect, it } from 'vitest';

import { contactLink } from './contact';

describe('contactLink', () => {
  it('dials phone numbers as the data writes them', () => {
    expect(contactLink({ kind: 'phone', contact: '17' }).href).toBe('tel:17');
    expect(contactLink({ kind: 'phone', contact: '116 006' }).href).toBe('tel:116006');
    expect(contactLink({ kind: 'phone', contact: '0800 12 800 (taper 1)' }).href).toBe('tel:080012800');
    expect(contactLink({ kind: 'phone', contact: '070 344 344' }).href).toBe('tel:070344344');
  });

  it('texts SMS numbers', () => {
    expect(contactLink({ kind: 'sms', contact: '114' })).toMatchObject({ href: 'sms:114', kind: 'sms', external: false });
  });

  it('opens web addresses, without the words around them', () => {
    expect(contactLink({ kind: 'chat', contact: 'https://www.3018.fr (tchat)' })).toMatchObject({ href: 'https://www.3018.fr', external: true });
    expect(contactLink({ kind: 'web', contact: 'https://www.service-public.fr (rubrique « Arnaque sur internet »)' }).href).toBe('https://www.service-public.fr');
    expect(contactLink({ kind: 'web', contact: 'https://www.police.be (Police-on-web / e-loket)' }).href).toBe('https://www.police.be');
  });

  it('writes to e-mail addresses', () => {
    expect(contactLink({ kind: 'web', contact: '116000@childfocus.org' })).toMatchObject({ href: 'mailto:116000@childfocus.org', kind: 'email' });
    expect(contactLink({ kind: 'web', contact: 'suspect@safeonweb.be' }).href).toBe('mailto:suspect@safeonweb.be');
  });

  it('leaves text that cannot be tapped as text', () => {
    const link = contactLink({ kind: 'chat', contact: 'Application « Urgence 114 » (tchat, visio)' });
    expect(link.href).toBeNull();
    expect(link.text).toBe('Application « Urgence 114 » (tchat, visio)');
  });
});
