// websiteFor: the lead's own website, else their email's domain unless it is a free-mail provider.
import { describe, expect, it } from 'vitest';
import { isFreeMailDomain, websiteFor } from '../../../connectors/website/index.ts';

describe('websiteFor', () => {
  it('prefers the Website the lead gave, adding https:// when it has no scheme', () => {
    expect(websiteFor({ website: 'https://acme.example/about', email: 'a@b.example' })).toBe(
      'https://acme.example/about',
    );
    expect(websiteFor({ website: '  www.acme.example ', email: 'a@gmail.com' })).toBe(
      'https://www.acme.example',
    );
    expect(websiteFor({ website: 'http://acme.example', email: 'a@b.example' })).toBe('http://acme.example');
  });

  it('falls back to the domain of a company email', () => {
    expect(websiteFor({ email: 'Priya@Acme-Analytics.example' })).toBe('https://acme-analytics.example');
    expect(websiteFor({ website: '', email: 'tom@studio.co.uk' })).toBe('https://studio.co.uk');
  });

  it.each([
    'a@gmail.com',
    'a@googlemail.com',
    'a@outlook.com',
    'a@hotmail.com',
    'a@hotmail.fr',
    'a@yahoo.com',
    'a@yahoo.co.uk',
    'a@icloud.com',
    'a@proton.me',
    'a@protonmail.com',
    'a@gmx.de',
    'a@gmx.net',
    'a@aol.com',
    'a@web.de',
  ])('gives nothing for a free-mail address: %s', (email) => {
    expect(websiteFor({ email })).toBeUndefined();
  });

  it('gives nothing for an email without a usable domain', () => {
    expect(websiteFor({ email: 'not an email' })).toBeUndefined();
    expect(websiteFor({ email: 'someone@localhost' })).toBeUndefined();
  });

  it('does not mistake a company domain for a free-mail family', () => {
    expect(isFreeMailDomain('yahoo-partners.example')).toBe(false);
    expect(isFreeMailDomain('live-music.example')).toBe(false);
    expect(isFreeMailDomain('outlook.de')).toBe(true);
  });
});
