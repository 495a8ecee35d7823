/** The page's stylesheet (inlined by the bundle, so the page needs no other file). */
export const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { background: #24292f; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
nav button { background: none; border: 0; color: #ccc; font: inherit; cursor: pointer; padding: 4px 8px; }
nav button.active { color: #fff; border-bottom: 2px solid #fff; }
main { padding: 8px 16px; }
input[type=search] { width: 420px; } input[type=number] { width: 80px; }
.status { margin-left: auto; font-size: 12px; color: #bbb; }
table.runs { border-collapse: collapse; font-size: 13px; }
table.runs td, table.runs th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; }
tr.group-row th { background: #f3f4f6; }
td.state { font-weight: 600; }
tr.state-running td.state { color: #1a7f37; } tr.state-broken td.state { color: #cf222e; }
.problems { color: #cf222e; margin: 2px 0; font-size: 12px; }
.controls { display: flex; gap: 16px; flex-wrap: wrap; margin: 8px 0; }
figure.chart { margin: 8px 0; position: relative; display: inline-block; vertical-align: top; }
figcaption { font-weight: 600; }
.grid { stroke: #eee; } .tick { font-size: 10px; fill: #555; } .axis { font-size: 12px; fill: #333; }
.series { fill: none; stroke-width: 2; } .band-bar { stroke-width: 2; opacity: 0.4; pointer-events: none; }
.point { pointer-events: none; } .band { opacity: 0.18; stroke: none; }
.member { fill: none; stroke-width: 1; opacity: 0; } g.group.focus .member { opacity: 0.6; }
g.group.focus .series { stroke-width: 3; }
.rule { stroke: #888; stroke-dasharray: 3 3; } .cursor { stroke: #000; stroke-width: 1.5; }
.replay-views { display: flex; gap: 12px; } .replay-views figure { margin: 0; }
.replay-views canvas { border: 1px solid #ccc; }
.legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.tooltip { position: absolute; top: 30px; left: calc(100% + 8px); min-width: 240px; background: rgba(255,255,255,0.95); border: 1px solid #ccc;
  padding: 4px 8px; font-size: 12px; pointer-events: none; white-space: pre; }
.note, .empty { color: #666; font-size: 12px; }
.graph-wrap { display: flex; gap: 12px; }
.graph-wrap svg { border: 1px solid #ddd; background: #fafafa; cursor: grab; }
g.node rect { fill: #fff; stroke: #555; } g.node.leaf rect { fill: #e8f0fe; } g.node.selected rect { stroke: #d62728; stroke-width: 2; }
g.node text { font: 11px monospace; pointer-events: none; } .edge { stroke: #999; fill: none; }
.details { min-width: 260px; font-size: 13px; } .details dt { font-weight: 600; }
.bar { fill: #1f77b4; }
`;
