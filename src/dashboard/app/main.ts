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
  if (store.source.live) store.source.subscribe((e) => void onLive(store, e, status));
}

/**
 * Watching began (reread all: something may have changed since the first read), the set of
 * runs changed (reread all), or a run's progress grew (reread it and the runs table).
 */
async function onLive(store: Store, e: LiveEvent, status: HTMLElement): Promise<void> {
  if (e.type === 'ready' || e.type === 'runs') await store.loadAll();
  else if (e.type === 'progress') await Promise.all([store.loadRuns(), store.loadProgress(e.run)]);
  store.live(e);
  if (e.type === 'grads') return;
  store.changed();
  if (e.type === 'ready') status.textContent = 'live';
}

void start();
