// The dashboard's stylesheet: plain CSS, readable on a laptop and a phone.
export const DASHBOARD_STYLE = `
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f4f5f7; color: #172b4d; }
header { background: #1d2b3a; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: center; }
header h1 { margin: 0; font-size: 18px; }
header a { color: #fff; }
header form { margin-left: auto; }
main { padding: 14px 20px; max-width: 1200px; }
.panel { background: #fff; border-radius: 6px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(9,30,66,.2); margin-bottom: 14px; overflow-x: auto; }
h2 { font-size: 16px; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #ebecf0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { color: #5e6c84; font-weight: 600; }
.muted, .hint { color: #5e6c84; font-size: 12px; }
.notice { background: #e3fcef; color: #006644; padding: 8px 12px; border-radius: 4px; }
.problem { background: #ffebe6; color: #bf2600; padding: 8px 12px; border-radius: 4px; }
.error { color: #bf2600; }
.badge { display: inline-block; font-size: 11px; border-radius: 3px; padding: 0 5px; background: #dfe1e6; }
.run-done { background: #e3fcef; color: #006644; }
.run-failed { background: #ffebe6; color: #bf2600; }
.run-waiting { background: #deebff; color: #0747a6; }
.run-running, .run-queued { background: #fff4d6; color: #7a5200; }
.filters a { margin-right: 10px; }
.filters a.current { font-weight: 700; text-decoration: none; color: inherit; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dt { color: #5e6c84; }
dd { margin: 0; overflow-wrap: anywhere; }
button { font: inherit; font-size: 13px; padding: 4px 10px; border: 0; border-radius: 3px; background: #0052cc; color: #fff; cursor: pointer; }
header button { background: #33475b; }
input { font: inherit; padding: 5px 8px; border: 1px solid #c1c7d0; border-radius: 3px; width: 100%; }
.login { max-width: 380px; margin: 60px auto; }
.login label { display: block; margin: 10px 0; }
code { font-size: 12px; }
`;
