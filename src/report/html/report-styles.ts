/** The whole stylesheet of the report and index pages: inline, no web fonts, no images. */
export const REPORT_STYLES = `
:root{--bg:#f5f7fb;--surface:#fff;--surface-2:#f8fafc;--border:#e2e8f0;--text:#0f172a;--muted:#64748b;--faint:#94a3b8;
--accent:#4f46e5;--grid:#eef2f7;--code-bg:#f1f5f9;
--success:#16a34a;--success-bg:#dcfce7;--success-text:#166534;
--failed:#dc2626;--failed-bg:#fee2e2;--failed-text:#991b1b;
--skipped:#64748b;--skipped-bg:#f1f5f9;--skipped-text:#475569;
--cancelled:#d97706;--cancelled-bg:#fef3c7;--cancelled-text:#92400e;
--running:#2563eb;--running-bg:#dbeafe;--running-text:#1e40af;
--pending:#94a3b8;--pending-bg:#f8fafc;--pending-text:#64748b;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans","Liberation Sans",sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#0b1020;--surface:#111827;--surface-2:#0f172a;--border:#1f2937;--text:#e5e7eb;
--muted:#9ca3af;--faint:#6b7280;--grid:#1f2937;--code-bg:#0f172a;--success-bg:#052e16;--success-text:#86efac;
--failed-bg:#450a0a;--failed-text:#fca5a5;--skipped-bg:#1e293b;--skipped-text:#cbd5e1;--cancelled-bg:#451a03;
--cancelled-text:#fcd34d;--running-bg:#172554;--running-text:#93c5fd;--pending-bg:#1e293b;--pending-text:#94a3b8}}
*{box-sizing:border-box}
html{scroll-behavior:smooth;scroll-padding-top:64px}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 var(--sans);-webkit-font-smoothing:antialiased}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:var(--mono);font-size:12.5px}
.topbar{position:sticky;top:0;z-index:10;display:flex;align-items:center;gap:24px;padding:0 28px;height:52px;
background:#0f172a;color:#e2e8f0;box-shadow:0 1px 0 rgba(0,0,0,.2)}
.brand{display:flex;align-items:center;gap:8px;font-weight:700;letter-spacing:.02em;color:#fff;white-space:nowrap}
.brand-mark{display:inline-grid;place-items:center;width:24px;height:24px;border-radius:6px;background:linear-gradient(135deg,#6366f1,#06b6d4);font-size:13px}
.topbar nav{display:flex;gap:4px;overflow-x:auto;flex:1}
.topbar nav a{color:#cbd5e1;padding:6px 10px;border-radius:6px;font-size:13px;white-space:nowrap}
.topbar nav a:hover{background:#1e293b;color:#fff;text-decoration:none}
.topbar .right{margin-left:auto;font-size:13px;white-space:nowrap}.topbar .right a{color:#a5b4fc}
main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
.card{background:var(--surface);border:1px solid var(--border);border-radius:12px;padding:20px 22px;margin:0 0 20px;
box-shadow:0 1px 2px rgba(15,23,42,.04)}
.card>h2,.section-title{margin:0 0 14px;font-size:16px;font-weight:650;display:flex;align-items:center;gap:10px}
.card>h2 .sub,.section-title .sub{font-weight:400;color:var(--muted);font-size:13px}
.hero{padding:24px 26px}
.hero-title{display:flex;align-items:center;flex-wrap:wrap;gap:10px 14px}
.hero h1{margin:0;font-size:26px;line-height:1.2;font-weight:700;word-break:break-word}
.hero .description{margin:6px 0 0;color:var(--muted)}
.meta{display:flex;flex-wrap:wrap;gap:6px 22px;margin-top:10px;color:var(--muted);font-size:13px}
.meta b{color:var(--text);font-weight:500}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:20px}
.stat{background:var(--surface-2);border:1px solid var(--border);border-radius:10px;padding:12px 14px;min-width:0}
.stat .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.stat .value{font-size:22px;font-weight:650;margin-top:2px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.stat .detail{color:var(--muted);font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.pill{display:inline-flex;align-items:center;gap:6px;padding:3px 11px;border-radius:999px;font-size:12.5px;font-weight:600;white-space:nowrap}
.pill::before{content:"";width:7px;height:7px;border-radius:50%;background:currentColor}
.pill.big{font-size:14px;padding:4px 14px}
.status-success.pill{background:var(--success-bg);color:var(--success-text)}
.status-failed.pill{background:var(--failed-bg);color:var(--failed-text)}
.status-skipped.pill{background:var(--skipped-bg);color:var(--skipped-text)}
.status-cancelled.pill{background:var(--cancelled-bg);color:var(--cancelled-text)}
.status-running.pill{background:var(--running-bg);color:var(--running-text)}
.status-pending.pill{background:var(--pending-bg);color:var(--pending-text);border:1px solid var(--border)}
.badge{display:inline-flex;align-items:center;gap:5px;padding:2px 9px;border-radius:6px;font-size:12px;font-weight:600;
border:1px solid var(--border);background:var(--surface-2);color:var(--muted);white-space:nowrap}
.adapter-local{color:#3730a3;background:#eef2ff;border-color:#c7d2fe}
.adapter-subprocess{color:#6b21a8;background:#f5f3ff;border-color:#ddd6fe}
.adapter-e2b{color:#9a3412;background:#fff7ed;border-color:#fed7aa}
.error-box{border:1px solid #fecaca;border-left:5px solid var(--failed);background:var(--failed-bg);color:var(--failed-text);
border-radius:12px;padding:16px 20px;margin:0 0 20px}
.error-box h2{margin:0 0 6px;font-size:16px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.error-box .code{font-family:var(--mono);font-size:12.5px;background:rgba(220,38,38,.12);padding:1px 7px;border-radius:5px}
.error-box .message{margin:4px 0 0;color:var(--text);font-size:14.5px;white-space:pre-wrap;word-break:break-word}
.error-box .message.multiline{font-family:var(--mono);font-size:12.5px;overflow-x:auto;word-break:normal}
.hint{margin-top:10px;padding:9px 12px;border-radius:8px;background:var(--surface);border:1px solid var(--border);color:var(--text);
white-space:pre-wrap;word-break:break-word}
.hint::before{content:"Hint";display:inline-block;margin-right:8px;font-size:11px;font-weight:700;text-transform:uppercase;
letter-spacing:.05em;color:#0e7490;background:#cffafe;padding:1px 7px;border-radius:5px}
.notice{border:1px solid #fde68a;background:#fffbeb;color:#92400e;border-radius:10px;padding:10px 14px;margin:0 0 20px;font-size:13px}
.notice ul{margin:4px 0 0;padding-left:18px}
.scroll{overflow:auto;border:1px solid var(--border);border-radius:10px;background:var(--surface-2)}
.graph-box{max-height:560px;padding:16px}
.graph-box svg{display:block;margin:0 auto}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:0 0 12px;color:var(--muted);font-size:12.5px}
.legend span{display:inline-flex;align-items:center;gap:6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:3px}
.legend i.status-success,.gantt-bar.status-success{background:var(--success)}
.legend i.status-failed,.gantt-bar.status-failed{background:var(--failed)}
.legend i.status-skipped,.gantt-bar.status-skipped{background:var(--skipped)}
.legend i.status-cancelled,.gantt-bar.status-cancelled{background:var(--cancelled)}
.legend i.status-running,.gantt-bar.status-running{background:var(--running)}
.legend i.status-pending,.gantt-bar.status-pending{background:var(--pending)}
.dag .node rect.box{fill:var(--surface);stroke-width:1.5}
.dag .node text{font-family:var(--sans);fill:var(--text)}
.dag .node .id{font-size:13px;font-weight:650}.dag .node .sub{font-size:11.5px;fill:var(--muted)}
.dag .node .outcome{font-size:11.5px;font-weight:600;fill:var(--text)}
.dag .node.status-failed .outcome{fill:var(--failed-text)}.dag .node.status-skipped .outcome,.dag .node.status-pending .outcome{fill:var(--muted);font-weight:400}
.dag .node.status-success rect.box{stroke:var(--success)}.dag .node.status-success .stripe{fill:var(--success)}
.dag .node.status-failed rect.box{stroke:var(--failed);fill:var(--failed-bg)}.dag .node.status-failed .stripe{fill:var(--failed)}
.dag .node.status-skipped rect.box{stroke:var(--skipped);stroke-dasharray:4 3}.dag .node.status-skipped .stripe{fill:var(--skipped)}
.dag .node.status-cancelled rect.box{stroke:var(--cancelled)}.dag .node.status-cancelled .stripe{fill:var(--cancelled)}
.dag .node.status-running rect.box{stroke:var(--running)}.dag .node.status-running .stripe{fill:var(--running)}
.dag .node.status-pending rect.box{stroke:var(--pending);stroke-dasharray:4 3}.dag .node.status-pending .stripe{fill:var(--pending)}
.dag a:hover{text-decoration:none}.dag a:hover rect.box{filter:drop-shadow(0 2px 4px rgba(15,23,42,.18))}
.dag .edge{fill:none;stroke:#94a3b8;stroke-width:1.5}.dag .edge.dim{stroke-dasharray:5 4;opacity:.6}
.dag .arrow{fill:#94a3b8}
.gantt{max-height:560px;background:var(--surface)}
.gantt-row{display:grid;grid-template-columns:minmax(140px,220px) 1fr;align-items:center;min-height:30px;border-bottom:1px solid var(--grid)}
.gantt-row:last-child{border-bottom:0}
.gantt-head{position:sticky;top:0;z-index:2;background:var(--surface-2);border-bottom:1px solid var(--border);min-height:28px}
.gantt-label{padding:4px 12px;font-size:12.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-right:1px solid var(--border)}
.gantt-track{position:relative;height:100%;min-height:30px;margin:0 64px 0 10px;
background:repeating-linear-gradient(to right,transparent 0 calc(25% - 1px),var(--grid) calc(25% - 1px) 25%)}
.gantt-axis{position:relative;height:28px;margin:0 64px 0 10px}
.gantt-axis span{position:absolute;top:6px;transform:translateX(-50%);font-size:11px;color:var(--muted);white-space:nowrap}
.gantt-axis span:first-child{transform:none}.gantt-axis span:last-child{transform:translateX(-100%)}
.gantt-bar{position:absolute;top:8px;height:14px;border-radius:4px;min-width:3px}
.gantt-bar.status-skipped,.gantt-bar.status-pending{background:repeating-linear-gradient(45deg,var(--pending) 0 4px,transparent 4px 8px);border:1px solid var(--pending)}
.gantt-note{position:absolute;top:6px;font-size:11.5px;line-height:18px;color:var(--muted);white-space:nowrap}
.gantt-note.inside{color:#fff;font-weight:600;top:6px}.gantt-note.skipped{font-style:italic}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--grid);vertical-align:middle}
td.fields{vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;background:var(--surface-2);
position:sticky;top:0;z-index:1;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nowrap{white-space:nowrap}
tbody tr:hover{background:var(--surface-2)}
.table-box{max-height:520px}
.table-box table{background:var(--surface)}
.wrap{word-break:break-word;overflow-wrap:anywhere}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 10px}
.filters input,.filters select{font:inherit;font-size:13px;padding:6px 10px;border:1px solid var(--border);border-radius:8px;
background:var(--surface);color:var(--text)}
.filters input{flex:1;min-width:200px}
.filters .count{color:var(--muted);font-size:12.5px;margin-left:auto}
.chip{display:inline-block;padding:1px 8px;border-radius:5px;font-family:var(--mono);font-size:11.5px;background:var(--code-bg);
color:var(--text);white-space:nowrap}
.chip.ev-run{background:#e0e7ff;color:#3730a3}.chip.ev-ok{background:var(--success-bg);color:var(--success-text)}
.chip.ev-bad{background:var(--failed-bg);color:var(--failed-text)}.chip.ev-warn{background:var(--cancelled-bg);color:var(--cancelled-text)}
.fields{font-family:var(--mono);font-size:12px;color:var(--muted);word-break:break-word;overflow-wrap:anywhere}
.fields b{color:var(--text);font-weight:500}
.step-list{display:flex;flex-direction:column;gap:10px}
details.step-card{background:var(--surface);border:1px solid var(--border);border-left:4px solid var(--pending);border-radius:10px}
details.step-card.status-success{border-left-color:var(--success)}details.step-card.status-failed{border-left-color:var(--failed)}
details.step-card.status-skipped{border-left-color:var(--skipped)}details.step-card.status-cancelled{border-left-color:var(--cancelled)}
details.step-card.status-running{border-left-color:var(--running)}
details.step-card>summary{display:flex;align-items:center;flex-wrap:wrap;gap:8px 14px;padding:12px 16px;cursor:pointer;list-style:none}
details.step-card>summary::-webkit-details-marker{display:none}
details.step-card>summary::before{content:"▸";color:var(--faint);transition:transform .15s}
details.step-card[open]>summary::before{transform:rotate(90deg)}
.step-name{font-weight:650;font-size:14.5px;word-break:break-word}
.step-summary-right{margin-left:auto;display:flex;gap:16px;color:var(--muted);font-size:13px;white-space:nowrap}
.step-summary-right b{color:var(--text);font-weight:600}
.step-facts{display:flex;flex-wrap:wrap;gap:8px;padding:0 18px 12px 36px}
.fact{border:1px solid var(--border);background:var(--surface-2);border-radius:8px;padding:5px 12px;min-width:104px}
.fact .label{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.fact .value{font-weight:650;font-variant-numeric:tabular-nums;white-space:nowrap}
.step-body{display:grid;grid-template-columns:minmax(0,1.3fr) minmax(0,1fr);gap:18px;padding:4px 18px 18px 36px}
@media (max-width:860px){.step-body{grid-template-columns:1fr}}
.step-body h3{margin:6px 0 8px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.kv{width:100%;border-collapse:collapse}.kv td{border-bottom:1px solid var(--grid);padding:5px 8px;font-size:13px;vertical-align:top}
.kv td:first-child{color:var(--muted);width:30%;font-family:var(--mono);font-size:12px;word-break:break-all}
.kv td:last-child{word-break:break-word;overflow-wrap:anywhere}
.kv tr:last-child td{border-bottom:0}
pre.code{margin:0;background:var(--code-bg);border:1px solid var(--border);border-radius:8px;padding:10px 12px;overflow:auto;
max-height:260px;white-space:pre-wrap;word-break:break-word}
.masked{display:inline-block;font-family:var(--mono);font-size:12px;background:#ede9fe;color:#5b21b6;padding:0 7px;border-radius:5px}
.masked::after{content:" secret";font-family:var(--sans);font-size:10.5px;opacity:.75}
.artifacts{list-style:none;margin:0;padding:0}.artifacts li{display:flex;justify-content:space-between;gap:12px;padding:5px 0;
border-bottom:1px solid var(--grid);font-size:12.5px}.artifacts li:last-child{border-bottom:0}
.artifacts .path{font-family:var(--mono);word-break:break-all}.artifacts .size{color:var(--muted);white-space:nowrap}
.muted{color:var(--muted)}.small{font-size:12.5px}
.step-output{padding:0 18px 18px 36px}.step-output h3{margin:6px 0 8px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.step-output h3 .sub{text-transform:none;letter-spacing:0;font-weight:400}
.output-box{max-height:360px;margin-bottom:12px}.output-box table{background:var(--surface)}
.output-box td,.output-box th{white-space:nowrap;font-size:12.5px;padding:5px 10px}
.output-box td{max-width:320px;overflow:hidden;text-overflow:ellipsis}
.output-box table.schema{width:auto;min-width:50%}
.manifest pre.code{max-height:480px}
.fp{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 14px;font-size:12.5px}
.fp dt{color:var(--muted);font-family:var(--mono)}.fp dd{margin:0;font-family:var(--mono);word-break:break-all}
.toolbar{display:flex;gap:8px;margin-left:auto}
.button{font:inherit;font-size:12.5px;padding:4px 10px;border-radius:7px;border:1px solid var(--border);background:var(--surface);
color:var(--text);cursor:pointer}.button:hover{background:var(--surface-2)}
.pipelines{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px}
.pipeline-card{border:1px solid var(--border);border-radius:10px;padding:14px 16px;background:var(--surface-2);min-width:0}
.pipeline-card h3{margin:0;font-size:15px;display:flex;align-items:center;gap:10px;justify-content:space-between}
.pipeline-card h3 span.name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pipeline-card .meta{margin-top:4px}
.chart{display:block;margin-top:10px;width:100%;height:auto}
.chart .bar.status-success{fill:#86efac}.chart .bar.status-failed{fill:#fca5a5}.chart .bar.status-cancelled{fill:#fcd34d}
.chart .bar.status-running,.chart .bar.status-pending,.chart .bar.status-skipped{fill:#cbd5e1}
.chart .bar.current{stroke:var(--text);stroke-width:1.5}
.chart .fail-band{fill:var(--failed);opacity:.16}.chart .fail-band.status-cancelled{fill:var(--cancelled)}
.chart .fail-mark{font-size:10px;font-weight:700;fill:var(--failed);font-family:var(--sans)}.chart .fail-mark.status-cancelled{fill:var(--cancelled)}
.chart .line{fill:none;stroke:var(--accent);stroke-width:1.8}.chart .dot{fill:var(--accent)}
.chart .axis{font-size:10px;fill:var(--muted);font-family:var(--sans)}
.chart .base{stroke:var(--border)}
.chart-legend{display:flex;gap:14px;font-size:11.5px;color:var(--muted);margin-top:4px}
.chart-legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
footer{color:var(--faint);font-size:12px;text-align:center;margin-top:28px}
footer code{font-size:11.5px}
[hidden]{display:none!important}
`;
