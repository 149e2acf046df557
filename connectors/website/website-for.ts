// Which website tells us about a lead: the one they gave, else their email's domain (not a free-mail one).

/** Mailbox providers: an address there says nothing about the person's company. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set(
  `
  gmail.com googlemail.com outlook.com hotmail.com live.com msn.com passport.com icloud.com me.com
  mac.com yahoo.com ymail.com rocketmail.com aol.com aim.com proton.me protonmail.com
  protonmail.ch pm.me gmx.com gmx.net gmx.de web.de mail.com email.com zoho.com zohomail.com
  yandex.com yandex.ru ya.ru mail.ru inbox.ru bk.ru list.ru fastmail.com fastmail.fm tutanota.com
  tutanota.de tuta.io tuta.com hey.com qq.com 163.com 126.com sina.com naver.com daum.net
  hanmail.net rediffmail.com orange.fr wanadoo.fr free.fr laposte.net sfr.fr libero.it virgilio.it
  t-online.de freenet.de seznam.cz wp.pl o2.pl interia.pl btinternet.com sky.com virginmedia.com
  comcast.net verizon.net att.net sbcglobal.net bellsouth.net cox.net charter.net shaw.ca
  rogers.com bigpond.com optusnet.com.au xtra.co.nz uol.com.br bol.com.br terra.com.br duck.com
  skiff.com
`
    .trim()
    .split(/\s+/),
);

/** Providers with a domain per country (yahoo.co.uk, hotmail.fr, gmx.at, outlook.de, …). */
const FREE_MAIL_FAMILIES = ['yahoo', 'hotmail', 'outlook', 'live', 'gmx', 'yandex', 'aol', 'icloud'];

/** True for a free-mail domain: gmail.com, yahoo.co.uk, hotmail.fr, … */
export function isFreeMailDomain(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  if (FREE_MAIL_DOMAINS.has(d)) return true;
  const [first, ...rest] = d.split('.');
  // A family name followed by a country suffix of one or two short labels: yahoo.fr, yahoo.co.jp.
  return (
    FREE_MAIL_FAMILIES.includes(first!) &&
    rest.length >= 1 &&
    rest.length <= 2 &&
    rest.every((label) => /^[a-z]{2,3}$/.test(label))
  );
}

/**
 * The website to read about a lead: `website` when given (https:// added when it has no scheme),
 * else `https://<domain of email>` unless the domain is a free-mail provider; undefined when
 * neither tells us anything.
 */
export function websiteFor(lead: { website?: string | undefined; email: string }): string | undefined {
  const website = lead.website?.trim();
  if (website) return /^[a-z][a-z\d+.-]*:/i.test(website) ? website : `https://${website}`;
  const at = lead.email.trim().lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = lead.email
    .trim()
    .slice(at + 1)
    .toLowerCase()
    .replace(/[>\s].*$/, '')
    .replace(/\.$/, '');
  if (!/^[a-z\d-]+(\.[a-z\d-]+)+$/.test(domain) || isFreeMailDomain(domain)) return undefined;
  return `https://${domain}`;
}
