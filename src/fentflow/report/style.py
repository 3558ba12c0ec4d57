"""The report's stylesheet (inline in the page: nothing is fetched)."""

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 0; line-height: 1.45; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #bd0026; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.subtitle { color: #555; margin-top: 0; }
nav ol { columns: 2; font-size: .95rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f7; }
table.small { font-size: .8rem; }
table.kv th { width: 12rem; }
td { font-variant-numeric: tabular-nums; }
.note { background: #fff8e1; border-left: 4px solid #f0a500; padding: .6rem .9rem; margin: .8rem 0; }
.small { font-size: .8rem; color: #555; }
.level { padding: .05rem .4rem; border-radius: .2rem; white-space: nowrap; }
.verdict { padding: .05rem .4rem; border-radius: .2rem; white-space: nowrap; font-weight: 600; }
.verdict.ok { background: #d9f2d9; } .verdict.bad { background: #f8d0d0; } .verdict.unknown { background: #eee; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: .5rem 1rem; }
.charts figure.wide { grid-column: 1 / -1; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
details { margin: .5rem 0; } summary { cursor: pointer; color: #1f4e79; }
footer { color: #666; font-size: .85rem; padding: 2rem 1.5rem; }
code { background: #f3f3f3; padding: 0 .2rem; border-radius: .2rem; }
p.lead { font-size: 1.05rem; color: #333; margin-top: .4rem; }

/* Printing (or "Save as PDF" in the browser): no navigation chrome, whole tables and figures on a page where
   they fit, collapsed details left closed (their summary line shows), link targets written out, charts at the
   page's width. */
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; color: #000; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-before: page; break-after: avoid; }
  section:first-of-type h2 { break-before: auto; }
  h3, h4 { break-after: avoid; }
  table, figure, .note, .plotly-graph-div { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .level, .verdict, .plotly-graph-div { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .charts { display: block; }
  .charts figure { width: 100%; }
  figure img { border: none; }
  details > summary { list-style: none; font-weight: 600; color: #000; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 8pt; color: #444; word-break: break-all; }
  .modebar-container { display: none !important; }
}
"""
