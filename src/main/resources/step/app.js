// bftlab step: the page. Sends command lines of the terminal mode over a WebSocket and renders
// the whole state the server pushes back after each one.
import { draw, legend } from './diagram.js';

const $ = sel => document.querySelector(sel);
let ws, state, playing = null;
const opts = { fromSeqNo: 0, hideStatus: true, onPick: showMessage };

function send(line) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(line);
}

function connect() {
  ws = new WebSocket(`ws://${location.host}/ws`);
  ws.onopen = () => { $('#ws-status').dataset.open = 'true'; $('#ws-status').textContent = 'connected'; };
  ws.onclose = () => {
    $('#ws-status').dataset.open = 'false'; $('#ws-status').textContent = 'disconnected';
    pause();
  };
  ws.onmessage = ev => render(JSON.parse(ev.data));
}

function render(s) {
  state = s;
  document.body.dataset.position = s.position;
  $('#run-info').textContent = `${s.name}: n = ${s.n}, f = ${s.f}, seed ${s.seed}, tick ${s.now}, requests complete ${s.completed}`;
  $('#position').textContent = `step ${s.position} / ${s.recorded}`;
  const seek = $('#seek');
  seek.max = s.recorded; seek.value = s.position;
  $('#error').textContent = s.error ? 'error: ' + s.error : '';
  if (s.error) pause();
  renderBadges(s);
  renderFaults(s);
  renderReplicas(s);
  renderInFlight(s);
  renderNarration(s);
  draw($('#diagram'), s, opts);
  if (playing && s.inFlight.length === 0) pause();
}

function renderBadges(s) {
  const b = s.badges;
  const safety = $('#badge-safety'), live = $('#badge-liveness');
  safety.dataset.status = b.safety === 'safe' ? 'ok' : 'bad';
  safety.textContent = b.safety === 'safe' ? 'safety ✓' : `UNSAFE at step ${b.violationStep} ✗`;
  safety.title = b.violationStep > 0 ? `click: go to step ${b.violationStep} (${b.violationAt})` : 'every safety check passes';
  live.dataset.status = b.liveness === 'live' ? 'ok' : b.liveness === 'NOT live' ? 'bad' : 'wait';
  live.textContent = 'liveness: ' + b.liveness;
  $('#badge-model').textContent = `${b.faultModel} the fault model` + (b.faulty.length ? ` (faulty: ${b.faulty.join(', ')})` : '');
  $('#badge-detail').textContent = b.detail ? (b.violationStep > 0 ? `step ${b.violationStep} (${b.violationAt}): ` : '') + b.detail : '';
  $('#badge-detail').dataset.status = safety.dataset.status;
}

function renderFaults(s) {
  const parts = [];
  if (s.partition.length) parts.push('partitioned: ' + s.partition.map(g => g.join(',')).join(' | '));
  for (const [node, how] of Object.entries(s.byzantine)) parts.push(`${node} Byzantine (${how})`);
  $('#network-state').textContent = parts.join('; ');
  const t = s.tour;
  $('#tour-text').textContent = t ? `${t.name} ${t.index + 1}/${t.size} — ${t.title}: ${t.words}` : '';
  document.body.dataset.tourStop = t ? t.index : '';
}

function renderReplicas(s) {
  const box = $('#replicas');
  box.replaceChildren(...s.replicas.map(r => {
    const d = document.createElement('div');
    d.className = 'replica' + (r.up ? '' : ' crashed');
    d.id = 'replica-' + r.node;
    d.dataset.up = r.up;
    if (!r.up) {
      d.innerHTML = `<h3>${r.node}</h3><div data-field="role">crashed</div>
        <button data-cmd="restart ${r.node}">restart (from its journal)</button>`;
      return d;
    }
    const rows = r.slots.map(x => `<tr class="slot" data-seqno="${x.seqNo}" data-view="${x.view}" data-phase="${x.phase}" data-prepares="${x.prepares}" data-commits="${x.commits}">
      <td>${x.seqNo}</td><td>${x.view}</td><td class="phase-${x.phase}">${x.phase}</td>
      <td>${x.prepares} / 2f=${x.prepareQuorum}</td><td>${x.commits} / 2f+1=${x.commitQuorum}</td><td>${x.digest}</td></tr>`).join('');
    d.innerHTML = `<h3>${r.node} — <span data-field="role">${r.role}</span></h3>
      <div>view <b data-field="view">${r.view}</b>, primary <b data-field="primary">${r.primary}</b></div>
      <div>watermarks h=${r.h}, H=${r.hHigh}; stable checkpoint <span data-field="stable">${r.stableCheckpoint}</span></div>
      <div>height <span data-field="height">${r.height}</span>, head ${r.head}</div>
      <div>timer: <span data-field="timer">${r.timer}</span></div>
      <table><tr><th>n</th><th>v</th><th>phase</th><th>prepares</th><th>commits</th><th>d</th></tr>${rows}</table>
      <button data-cmd="crash ${r.node}">crash</button>
      <button data-cmd="timer ${r.node}">fire view-change timer</button>
      <button data-cmd="amnesia ${r.node}" title="crash, lose the journal, restart empty (a storage fault)">amnesia</button>
      ${s.byzantine[r.node] ? `<b class="byz">Byzantine: ${s.byzantine[r.node]}</b>` : `<button data-cmd="byzantine ${r.node} silent">make silent</button>
      <button data-cmd="byzantine ${r.node} equivocate">make equivocating</button>`}`;
    return d;
  }));
}

function renderInFlight(s) {
  const list = $('#inflight');
  list.replaceChildren(...s.inFlight.map(m => {
    const li = document.createElement('li');
    li.value = m.id;
    li.dataset.id = m.id;
    if (m.held) li.className = 'held';
    li.innerHTML = `<a href="#" class="pick">${m.label}</a>${m.held ? ' <i>(held)</i>' : ''}
      <button class="deliver" data-cmd="deliver ${m.id}">deliver</button>
      <button class="drop" data-cmd="drop ${m.id}">drop</button>
      <button class="dup" data-cmd="dup ${m.id}">dup</button>
      ${m.held ? '' : `<button class="hold" data-cmd="hold ${m.id}" title="delay: stays in flight, step passes it by">delay</button>`}`;
    li.querySelector('.pick').addEventListener('click', e => { e.preventDefault(); showMessage(m); });
    return li;
  }));
  if (s.inFlight.length === 0) list.innerHTML = '<li class="none">none — tick, fire a timer or send a request</li>';
}

function renderNarration(s) {
  const list = $('#narration');
  list.replaceChildren(...s.narration.map(n => {
    const li = document.createElement('li');
    li.value = n.step;
    li.textContent = n.text;
    if (n.step === s.position) li.className = 'current';
    return li;
  }));
  list.scrollTop = list.scrollHeight;
}

function showMessage(m) {
  const sig = m.signatureValid === undefined ? '' : `signature: ${m.signatureValid ? 'valid ✓' : 'INVALID ✗'}\n`;
  $('#message-detail').textContent = `#${m.id} ${m.label}\n${sig}` + JSON.stringify(m.fields, null, 1);
}

function play() {
  if (playing) return;
  const tick = () => {
    send('step');
    playing = setTimeout(tick, 1100 - 100 * Number($('#speed').value));
  };
  playing = setTimeout(tick, 0);
}

function pause() {
  if (playing) clearTimeout(playing);
  playing = null;
}

document.addEventListener('click', e => {
  const b = e.target.closest('button[data-cmd]');
  if (b) send(b.dataset.cmd);
});
$('#btn-step').addEventListener('click', () => send('step'));
$('#btn-back').addEventListener('click', () => send('back 1'));
$('#btn-play').addEventListener('click', play);
$('#btn-pause').addEventListener('click', pause);
$('#badge-safety').addEventListener('click', () => {
  if (state && state.badges.violationStep > 0) send('goto ' + state.badges.violationStep);
});
$('#btn-partition').addEventListener('click', () => send('partition ' + $('#partition').value.replace(/\s+/g, '')));
$('#seek').addEventListener('change', e => send('goto ' + e.target.value));
$('#from-seqno').addEventListener('change', e => { opts.fromSeqNo = Number(e.target.value) || 0; if (state) draw($('#diagram'), state, opts); });
$('#hide-status').addEventListener('change', e => { opts.hideStatus = e.target.checked; if (state) draw($('#diagram'), state, opts); });
legend($('#legend'));
connect();
