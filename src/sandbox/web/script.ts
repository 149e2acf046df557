// The page's only script: refresh the panels in place every few seconds, and drag cards between lists.

/**
 * The page's state (Airtable view, open dossier) is in its query string, which the refresh keeps.
 * Panels (`[data-panel]`) are swapped for the server's fresh rendering unless the visitor is working
 * in them (focus inside, or a field holding unsaved text); open <details> stay open. Dropping a card
 * on a list posts the same form its "→ list" button does.
 */
export const PAGE_SCRIPT = `
(() => {
  const every = Number(document.body.dataset.refreshMs) || 2500;
  const busy = (panel) =>
    (panel.contains(document.activeElement) && document.activeElement !== document.body) ||
    [...panel.querySelectorAll('input:not([type=hidden]), textarea')].some((f) => f.value !== f.defaultValue);
  async function refresh() {
    try {
      const response = await fetch(location.pathname + location.search, { cache: 'no-store' });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
        for (const panel of document.querySelectorAll('[data-panel]')) {
          const next = fresh.getElementById(panel.id);
          if (!next || busy(panel)) continue;
          const open = [...panel.querySelectorAll('details[open][id]')].map((d) => d.id);
          const scroll = [...panel.querySelectorAll('.scroll, .list')].map((e) => e.scrollTop);
          panel.innerHTML = next.innerHTML;
          for (const id of open) document.getElementById(id)?.setAttribute('open', '');
          panel.querySelectorAll('.scroll, .list').forEach((e, i) => { e.scrollTop = scroll[i] ?? 0; });
        }
        document.body.dataset.refreshedAt = String(Date.now());
      }
    } catch {}
    setTimeout(refresh, every);
  }
  setTimeout(refresh, every);

  document.addEventListener('dragstart', (event) => {
    const card = event.target.closest?.('[data-card-id]');
    if (card) event.dataTransfer.setData('text/x-card-id', card.dataset.cardId);
  });
  document.addEventListener('dragover', (event) => {
    if (event.target.closest?.('[data-list]')) event.preventDefault();
  });
  document.addEventListener('drop', (event) => {
    const list = event.target.closest?.('[data-list]');
    const id = event.dataTransfer.getData('text/x-card-id');
    if (!list || !id) return;
    event.preventDefault();
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/cards/' + encodeURIComponent(id) + '/move';
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'list';
    input.value = list.dataset.list;
    form.append(input);
    document.body.append(form);
    form.submit();
  });
})();
`;
