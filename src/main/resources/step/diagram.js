// The Lamport diagram: one vertical lane per replica plus the client, time (steps) downwards.
// One message is delivered per step, so each row ends at most one arrow and its label sits at
// that row: labels never overlap. Colour by seqNo; view-change traffic in red.
const NS = 'http://www.w3.org/2000/svg';
const ROW = 22, LANE = 110, TOP = 34, LEFT = 60;

export const MARKS = {
  'pre-prepared': { shape: 'circle', fill: '#fff', stroke: '#777', text: 'pre-prepared' },
  'prepared': { shape: 'diamond', fill: '#e80', stroke: '#a50', text: 'prepared (pre-prepare + 2f prepares)' },
  'committed-local': { shape: 'square', fill: '#2a2', stroke: '#060', text: 'committed-local (2f+1 commits)' },
  'executed': { shape: 'bar', fill: '#06c', stroke: '#06c', text: 'executed: block appended' },
  'view-change': { shape: 'triangle', fill: '#d22', stroke: '#900', text: 'VIEW-CHANGE sent' },
  'new-view': { shape: 'star', fill: '#90c', stroke: '#606', text: 'new view installed' },
  'stable-checkpoint': { shape: 'hexagon', fill: '#39c', stroke: '#147', text: 'stable checkpoint' },
  'crash': { shape: 'cross', fill: '#000', stroke: '#000', text: 'crash' },
  'restart': { shape: 'circle', fill: '#ff0', stroke: '#000', text: 'restart' },
};

export function colour(m) {
  if (m.type === 'VIEW-CHANGE' || m.type === 'NEW-VIEW') return '#c00';
  if (m.type === 'STATUS' || m.type === 'CHECKPOINT') return '#39c';
  if (m.seqNo < 0) return '#555';
  return `hsl(${(m.seqNo * 67) % 360}, 65%, 38%)`;
}

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function shape(g, kind, x, y) {
  const m = MARKS[kind] || MARKS['pre-prepared'];
  const a = { fill: m.fill, stroke: m.stroke, 'stroke-width': 1.5, class: 'mark mark-' + kind };
  switch (m.shape) {
    case 'circle': return el('circle', { ...a, cx: x, cy: y, r: 4 }, g);
    case 'square': return el('rect', { ...a, x: x - 4, y: y - 4, width: 8, height: 8 }, g);
    case 'diamond': return el('polygon', { ...a, points: `${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}` }, g);
    case 'triangle': return el('polygon', { ...a, points: `${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}` }, g);
    case 'bar': return el('rect', { ...a, x: x - 7, y: y - 1.5, width: 14, height: 3 }, g);
    case 'star': return el('polygon', { ...a, points: `${x},${y - 6} ${x + 2},${y - 2} ${x + 6},${y - 2} ${x + 3},${y + 1} ${x + 4},${y + 6} ${x},${y + 3} ${x - 4},${y + 6} ${x - 3},${y + 1} ${x - 6},${y - 2} ${x - 2},${y - 2}` }, g);
    case 'hexagon': return el('polygon', { ...a, points: `${x - 5},${y} ${x - 2},${y - 5} ${x + 2},${y - 5} ${x + 5},${y} ${x + 2},${y + 5} ${x - 2},${y + 5}` }, g);
    case 'cross': return el('path', { ...a, d: `M${x - 5},${y - 5}L${x + 5},${y + 5}M${x + 5},${y - 5}L${x - 5},${y + 5}`, 'stroke-width': 2.5 }, g);
  }
}

/** Draws state into container; opts: {fromSeqNo, hideStatus, onPick(message)}. */
export function draw(container, state, opts) {
  const lanes = ['client', ...state.replicas.map(r => r.node)];
  const x = name => LEFT + lanes.indexOf(name) * LANE;
  const keep = m => (m.seqNo < 0 || m.seqNo >= opts.fromSeqNo) && !(opts.hideStatus && m.type === 'STATUS');
  const arrows = state.arrows.filter(keep);
  const marks = state.marks.filter(k => k.seqNo < 0 || k.seqNo >= opts.fromSeqNo);
  // rows: only the steps that hold something visible (older seqNos collapse away)
  const steps = new Set([0]);
  arrows.forEach(a => { steps.add(a.sentStep); steps.add(a.doneStep); });
  marks.forEach(k => steps.add(k.step));
  steps.add(state.position);
  const order = [...steps].sort((a, b) => a - b);
  const rowOf = new Map(order.map((s, i) => [s, i]));
  const y = s => TOP + rowOf.get(s) * ROW;
  const width = LEFT + lanes.length * LANE + 260;
  const height = TOP + order.length * ROW + 20;
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, id: 'lamport' });
  el('defs', {}, svg).innerHTML =
    '<marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker>';
  lanes.forEach(l => {
    const r = state.replicas.find(p => p.node === l);
    el('text', { x: x(l), y: 14, 'text-anchor': 'middle', 'font-weight': 600 }, svg).textContent = l;
    if (r) el('text', { x: x(l), y: 26, 'text-anchor': 'middle', fill: '#666' }, svg).textContent =
      r.up ? `v${r.view} ${r.role.startsWith('changing') ? 'changing' : r.role}` : 'crashed';
    el('line', { x1: x(l), y1: TOP - 4, x2: x(l), y2: height - 10, stroke: r && !r.up ? '#e99' : '#bbb', 'stroke-dasharray': r && !r.up ? '4 3' : '' }, svg);
  });
  order.forEach(s => {
    el('text', { x: 6, y: y(s) + 4, fill: '#999' }, svg).textContent = 'step ' + s;
  });
  el('line', { x1: 0, x2: width, y1: y(state.position) + ROW / 2, y2: y(state.position) + ROW / 2, stroke: '#fc0' }, svg);
  const labelX = LEFT + (lanes.length - 1) * LANE + 24;
  for (const a of arrows) {
    const g = el('g', { class: 'arrow', 'data-id': a.id, 'data-fate': a.fate, cursor: 'pointer' }, svg);
    const c = colour(a);
    el('line', { x1: x(a.from), y1: y(a.sentStep), x2: x(a.to), y2: y(a.doneStep), stroke: c,
      'stroke-width': 1.4, 'marker-end': 'url(#arrowhead)',
      'stroke-dasharray': a.fate === 'delivered' ? '' : '3 3', opacity: a.fate === 'delivered' ? 1 : 0.5 }, g);
    // the label sits in the label column at the row of its delivery: one per row
    const t = el('text', { x: labelX, y: y(a.doneStep) + 4, fill: c }, g);
    t.textContent = `#${a.id} ${a.type}${a.view >= 0 || a.seqNo >= 0 ? ` (${a.view >= 0 ? 'v=' + a.view : ''}${a.view >= 0 && a.seqNo >= 0 ? ', ' : ''}${a.seqNo >= 0 ? 'n=' + a.seqNo : ''})` : ''} ${a.from}→${a.to}${a.fate === 'delivered' ? '' : ' ✗ ' + a.fate}`;
    g.addEventListener('click', () => opts.onPick(a));
  }
  // marks: several at the same (step, lane) are spread sideways
  const seen = new Map();
  for (const k of marks) {
    const key = k.step + '/' + k.node;
    const i = seen.get(key) || 0;
    seen.set(key, i + 1);
    const s = shape(svg, k.kind, x(k.node) + 10 + i * 12, y(k.step));
    const title = el('title', {}, s);
    title.textContent = `${k.node}: ${k.kind}${k.view >= 0 ? ' v=' + k.view : ''}${k.seqNo >= 0 ? ' n=' + k.seqNo : ''} (step ${k.step})`;
  }
  container.replaceChildren(svg);
}

export function legend(container) {
  const parts = Object.entries(MARKS).map(([k, m]) => {
    const svg = `<svg width="16" height="14"><g></g></svg>`;
    return `<span class="legend-item" data-kind="${k}">${svg} ${m.text}</span>`;
  });
  container.innerHTML = parts.join(' · ') +
    '<br>arrows: colour = seqNo (hue), red = VIEW-CHANGE / NEW-VIEW, blue = CHECKPOINT / STATUS; dashed = dropped, lost or cut by a partition; the label of each arrow is on the row of its delivery.';
  container.querySelectorAll('.legend-item').forEach(span => {
    shape(span.querySelector('g'), span.dataset.kind, 8, 7);
  });
}
