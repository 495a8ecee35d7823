/**
 * The dashboard page: runs table and curves, gradients, robustness. Served by
 * `sr2l dashboard` (live) or opened from an exported HTML file (embedded data).
 */
import type { LiveEvent } from '../api-types.js';
import { curvesView } from './curves-view.js';
import { embeddedData, embeddedSource, serverSource } from './data-source.js';
import { h } from './dom.js';
import { gradsView } from './grads-view.js';
import { graphView } from './graph-view.js';
import { replayView } from './replay-view.js';
import { robustnessView } from './robustness-view.js';
import { runsView } from './runs-view.js';
import { Store } from './store.js';
import { CSS } from './style.js';

/** One tab of the page: its title and a builder called the first time it is shown. */
interface Tab {
  id: string;
  title: string;
  build: (store: Store) => HTMLElement;
  /** needs the server (not in an exported file) */
  live?: boolean;
}

const TABS: Tab[] = [
  { id: 'runs', title: 'Runs & curves', build: (st) => h('div', {}, runsView(st), curvesView(st)) },
  { id: 'grads', title: 'Gradients', build: (st) => h('div', {}, gradsView(st), graphView(st)), live: true },
  { id: 'robustness', title: 'Robustness', build: robustnessView },
  { id: 'replay', title: 'Replay', build: replayView, live: true },
];

async function start(): Promise<void> {
  document.head.append(h('style', {}, CSS));
  const data = embeddedData();
  const store = new Store(data ? embeddedSource(data) : serverSource);
  const status = h('span', { class: 'status', id: 'status' }, 'loading…');
  const nav = h('nav');
  const main = h('main');
  document
    .getElementById('app')!
    .replaceChildren(h('header', {}, h('h1', {}, 'sr2l dashboard'), nav, status), main);
  try {
    await store.loadAll();
  } catch (e) {
    status.textContent = `cannot load the runs: ${(e as Error).message}`;
    return;
  }
  document.title = `${store.runs.folder} · sr2l dashboard`;
  const built = new Map<string, HTMLElement>();
  const show = (tab: Tab) => {
    for (const b of nav.children) b.classList.toggle('active', b.getAttribute('data-tab') === tab.id);
    if (!built.has(tab.id)) built.set(tab.id, tab.build(store));
    main.replaceChildren(built.get(tab.id)!);
  };
  for (const t of TABS.filter((x) => store.source.live || !x.live)) {
    const b = h('button', { 'data-tab': t.id }, t.title);
    b.addEventListener('click', () => show(t));
    nav.append(b);
  }
  show(TABS[0]!);
  status.textContent = data ? `exported ${data.createdAt}` : 'connecting…';
  if (store.source.live) store.source.subscribe(liveHandler(store, status));
}

/** Events within this window are handled together: a sweep's runs write their rows at once. */
const COALESCE_MS = 250;

/**
 * The live-event handler: watching began or the set of runs changed (reread everything),
 * or runs' progress grew (reread those and the runs table); views listening for grads.csv
 * get their events too.
 */
function liveHandler(store: Store, status: HTMLElement): (e: LiveEvent) => void {
  let pending: LiveEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = async () => {
    const events = pending;
    pending = [];
    timer = null;
    const all = events.some((e) => e.type === 'ready' || e.type === 'runs');
    const grown = new Set(events.flatMap((e) => (e.type === 'progress' ? [e.run] : [])));
    try {
      if (all) await store.loadAll();
      else if (grown.size)
        await Promise.all([store.loadRuns(), ...[...grown].map((r) => store.loadProgress(r))]);
    } catch (e) {
      status.textContent = `update failed: ${(e as Error).message}`;
      return;
    }
    for (const e of events) store.live(e);
    if (all || grown.size) store.changed();
    if (events.some((e) => e.type === 'ready')) status.textContent = 'live';
  };
  return (e) => {
    pending.push(e);
    timer ??= setTimeout(() => void flush(), COALESCE_MS);
  };
}

void start();
