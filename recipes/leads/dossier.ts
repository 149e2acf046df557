// The lead's dossier as people read it in Notion: profile, research and the score's reasons.
import type { CompanyProfile, Dossier, Research, Score } from './prompts.ts';

/** Model text goes into Markdown as plain text: no headings, links or HTML of its own. */
function plain(text: string): string {
  return text
    .replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ')
    .trim();
}

const list = (items: string[]) => (items.length ? items.map((i) => `- ${plain(i)}`).join('\n') : '- none');

function profileSection(profile: CompanyProfile, website: Dossier['website']): string {
  return [
    '## Company profile',
    website.ok ? `From ${plain(website.url ?? '')}.` : `No website text: ${plain(website.note)}.`,
    `**Sells:** ${plain(profile.sells)}`,
    `**Customers:** ${plain(profile.customers)}`,
    `**Size:** ${plain(profile.size)}`,
    '**News on the site:**',
    list(profile.news),
  ].join('\n\n');
}

function researchSection(research: Research): string {
  return [
    '## Competitive research',
    `**Competitors:** ${research.competitors.map(plain).join(', ') || 'none named'}`,
    `**Positioning:** ${plain(research.positioning)}`,
    '**Where our offer fits:**',
    list(research.fit),
    '**From the website:**',
    list(research.fromWebsite),
    "**From the model's general knowledge (not checked):**",
    list(research.fromGeneralKnowledge),
  ].join('\n\n');
}

function scoreSection(score: Score, audit: { verdict: string; problems: string[] }, tier: string): string {
  return [
    '## Score',
    `**${score.score}/10**, confidence ${score.confidence.toFixed(2)}, audit ${audit.verdict}; tier: ${tier}.`,
    list(score.reasons),
    ...(audit.problems.length ? ["**Auditor's remarks:**", list(audit.problems)] : []),
  ].join('\n\n');
}

export function dossierMarkdown(
  dossier: Dossier,
  score: Score,
  audit: { verdict: string; problems: string[] },
  tier: string,
): string {
  const { lead } = dossier;
  return [
    `**${plain(lead.name)}** · ${plain(lead.company || 'no company given')} · ${plain(lead.email)}`,
    ...(lead.notes ? ['## Notes from the record', plain(lead.notes)] : []),
    profileSection(dossier.profile, dossier.website),
    researchSection(dossier.research),
    scoreSection(score, audit, tier),
  ].join('\n\n');
}
