// The page's stylesheet: plain CSS, readable on a laptop screen and in a narrow window.
export const PAGE_STYLE = `
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f4f5f7; color: #172b4d; }
header { background: #1d2b3a; color: #fff; padding: 12px 20px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 4px 0; }
header code { background: #33475b; padding: 1px 5px; border-radius: 3px; }
.sandbox-tag { background: #f5a623; color: #1d2b3a; font-weight: 700; padding: 2px 8px; border-radius: 3px; margin-right: 8px; font-size: 12px; }
.toolbar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-top: 8px; }
.pollers { display: flex; gap: 12px; flex-wrap: wrap; font-size: 12px; color: #c9d3dd; }
.notice { background: #ffebe6; color: #bf2600; padding: 8px 20px; margin: 0; }
main { padding: 12px 20px; display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.panel { background: #fff; border-radius: 6px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(9,30,66,.2); min-width: 0; }
.panel.wide { grid-column: 1 / -1; }
h2 { font-size: 16px; margin: 0 0 4px; }
h3 { font-size: 14px; margin: 10px 0 6px; }
.hint, .muted, .empty { color: #5e6c84; font-size: 12px; margin: 0 0 8px; }
.count { background: #dfe1e6; border-radius: 8px; padding: 0 6px; font-size: 11px; font-weight: 400; }
.scroll { overflow-x: auto; max-height: 320px; }
table.sheet { border-collapse: collapse; width: 100%; font-size: 13px; }
.sheet th, .sheet td { border: 1px solid #dfe1e6; padding: 3px 6px; text-align: left; max-width: 240px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sheet thead th, .sheet tbody th { background: #f4f5f7; color: #5e6c84; font-weight: 600; }
.sheet th.status { background: #fff4d6; color: #172b4d; }
td.status { font-weight: 600; }
.tone-new { color: #5e6c84; font-weight: 400 !important; font-style: italic; }
.tone-ok { background: #e3fcef; color: #006644; }
.tone-bad { background: #ffebe6; color: #bf2600; }
.tone-busy { background: #fff4d6; color: #7a5200; }
.tone-muted { color: #5e6c84; }
.slack { list-style: none; padding: 0; margin: 0; max-height: 28rem; overflow: auto; }
.slack li { padding: .4rem .2rem; border-bottom: 1px solid #ebecf0; }
.slack li p { margin: .2rem 0 0; white-space: pre-wrap; }
.lead-form { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px 10px; align-items: end; }
.lead-form label { display: flex; flex-direction: column; font-size: 12px; color: #5e6c84; }
.lead-form .notes { grid-column: 1 / 4; }
input, textarea { font: inherit; padding: 4px 6px; border: 1px solid #c1c7d0; border-radius: 3px; width: 100%; }
button { font: inherit; font-size: 12px; padding: 4px 9px; border: 0; border-radius: 3px; background: #0052cc; color: #fff; cursor: pointer; }
button:hover { background: #0747a6; }
.lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 10px; }
.list { background: #ebecf0; border-radius: 6px; padding: 6px 8px; min-height: 80px; max-height: 640px; overflow-y: auto; }
.list h3 { margin: 2px 0 8px; }
.card { background: #fff; border-radius: 4px; padding: 8px; margin-bottom: 8px; box-shadow: 0 1px 0 rgba(9,30,66,.25); cursor: grab; }
.feed-post { border: 1px solid #dfe1e6; border-radius: 4px; padding: 8px; margin-bottom: 8px; font-size: 13px; }
.feed-post .desc { white-space: pre-wrap; }
.feed-post img { display: block; max-width: 100%; height: auto; margin-top: 6px; }
.card h4 { margin: 0 0 4px; font-size: 13px; }
.desc, .mail .body { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; background: #fafbfc; border: 1px solid #ebecf0; border-radius: 3px; padding: 6px; max-height: 150px; overflow-y: auto; }
.labels { margin: 0 0 4px; }
.label { background: #ff991f; color: #fff; border-radius: 3px; padding: 0 6px; font-size: 11px; margin-right: 4px; }
.moves { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; }
.moves button { background: #dfe1e6; color: #172b4d; }
.moves button[value="Approved"] { background: #36b37e; color: #fff; }
.moves button[value="Rejected"] { background: #de350b; color: #fff; }
details summary { cursor: pointer; font-size: 12px; color: #0052cc; }
details textarea { margin: 4px 0; font-size: 12px; }
.comments { list-style: none; padding: 0; margin: 6px 0; font-size: 12px; }
.comments li { background: #f4f5f7; border-radius: 3px; padding: 4px 6px; margin-bottom: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.comment-form { display: flex; gap: 4px; margin-top: 4px; }
.mail { border-bottom: 1px solid #ebecf0; padding: 6px 0; }
.mail p { margin: 0 0 2px; }
.mail .subject { font-weight: 600; }
.time { color: #5e6c84; float: right; font-size: 12px; }
.run { border-bottom: 1px solid #ebecf0; padding: 5px 0; }
.run summary { color: inherit; font-size: 13px; }
.badge { display: inline-block; font-size: 11px; border-radius: 3px; padding: 0 5px; background: #dfe1e6; }
.run-done { background: #e3fcef; color: #006644; }
.run-failed { background: #ffebe6; color: #bf2600; }
.run-waiting { background: #deebff; color: #0747a6; }
.run-running, .run-queued { background: #fff4d6; color: #7a5200; }
.wait { color: #0747a6; font-size: 12px; margin-left: 6px; }
.error { color: #bf2600; font-size: 12px; margin-left: 6px; }
.steps { font-size: 12px; padding-left: 22px; margin: 4px 0; }
.step-failed .badge { background: #ffebe6; color: #bf2600; }
.step-pending .badge { background: #fff4d6; }
code { font-size: 12px; }
.tabs { display: flex; gap: 2px; margin: 6px 0; border-bottom: 2px solid #dfe1e6; }
.tab { padding: 4px 10px; border-radius: 4px 4px 0 0; color: #0052cc; text-decoration: none; font-size: 13px; }
.tab.current { background: #dfe1e6; color: #172b4d; font-weight: 600; }
.tier-form { display: flex; gap: 4px; }
.tier-form button[value="Nurture"] { background: #6554c0; }
td.score, td.tier { text-align: center; }
.notion { display: grid; grid-template-columns: minmax(180px, 1fr) 3fr; gap: 14px; }
.dossiers { list-style: none; padding: 0; margin: 0; font-size: 13px; }
.dossiers li { padding: 3px 4px; border-radius: 3px; }
.dossiers li.current { background: #deebff; }
.notion-page { border-left: 1px solid #ebecf0; padding-left: 14px; max-height: 520px; overflow-y: auto; overflow-wrap: anywhere; }
.notion-page .notion-title { font-size: 20px; margin-top: 0; }
.properties { font-size: 12px; margin-bottom: 8px; }
.properties th { color: #5e6c84; text-align: left; padding-right: 12px; font-weight: 400; }
.notion-page h4 { font-size: 15px; margin: 12px 0 4px; }
.notion-page p { margin: 4px 0; }
.deck { border-bottom: 1px solid #ebecf0; padding: 4px 0; }
.slides { font-size: 12px; padding-left: 20px; }
.slides li { background: #fafbfc; border: 1px solid #ebecf0; border-radius: 3px; padding: 4px 8px; margin: 4px 0; }
.slides p { margin: 2px 0; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } .notion { grid-template-columns: 1fr; } .lead-form { grid-template-columns: 1fr 1fr; } .lead-form .notes { grid-column: 1 / -1; } }
`;
