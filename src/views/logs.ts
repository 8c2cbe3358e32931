// Live log tail: level filter, pause toggle, bounded in memory and in the DOM. Lines arriving
// in a burst are written once per animation frame, so a flooding gateway cannot stall the page.
import type { LogLine } from '../../electron/core/api';
import { formatClock, formatClockMs } from '../logic/format';
import { appendBounded, LEVEL_FILTER_LABELS, LOG_LEVELS, LOG_LIMIT, passesLevel, type LogLevel } from '../logic/logs';
import { h, setText } from './dom';
import { t } from '../i18n';

export interface LogView {
  el: HTMLElement;
  /** Replaces everything with a fresh tail (first load). */
  reset(lines: LogLine[]): void;
  add(line: LogLine): void;
  /** Time of the newest line held, to fill a gap after a reconnect. */
  newestAt(): number;
}

export function createLogView(): LogView {
  const buffer: LogLine[] = [];
  let minimum: LogLevel = 'debug';
  let paused = false;
  let unseen = 0;
  let queued: LogLine[] = [];
  let frame = 0;

  const level = h(
    'select',
    { id: 'log-level', testid: 'log-level' },
    ...LOG_LEVELS.map((l) => h('option', { value: l, text: LEVEL_FILTER_LABELS[l] })),
  );
  const pause = h('button', { type: 'button', class: 'btn btn-small', testid: 'log-pause', 'aria-pressed': 'false', text: t('logs.pause') });
  const count = h('span', { class: 'card-aside', testid: 'log-count' });
  const tail = h('div', {
    class: 'log-tail',
    id: 'log-tail',
    testid: 'log-tail',
    role: 'log',
    // A busy log must not flood screen readers; the state badge is the announced part.
    'aria-live': 'off',
    'aria-label': t('logs.aria'),
    tabindex: 0,
  });
  const empty = h('p', { class: 'log-empty muted', testid: 'log-empty' });
  const el = h(
    'section',
    { class: 'card card-logs', 'aria-labelledby': 'logs-title' },
    h(
      'div',
      { class: 'card-head' },
      h('h2', { id: 'logs-title', text: t('card.log') }),
      count,
      h('div', { class: 'log-tools' }, h('label', { for: 'log-level', class: 'visually-hidden', text: t('logs.minimumLevel') }), level, pause),
    ),
    h('div', { class: 'log-frame' }, tail, empty),
  );

  const lineEl = (line: LogLine): HTMLElement =>
    h(
      'div',
      { class: 'log-line', 'data-level': line.level, 'data-source': line.source },
      h('time', { class: 'log-time', datetime: new Date(line.at).toISOString(), title: formatClock(line.at), text: formatClockMs(line.at) }),
      h('span', { class: 'log-source', text: line.source }),
      h('span', { class: 'log-text', text: line.text }),
    );

  const atBottom = (): boolean => tail.scrollHeight - tail.scrollTop - tail.clientHeight < 24;

  function renderAll(): void {
    const shown = buffer.filter((line) => passesLevel(line, minimum));
    tail.replaceChildren(...shown.map(lineEl));
    tail.scrollTop = tail.scrollHeight;
    refreshMeta();
  }

  function appendLines(lines: LogLine[]): void {
    const stick = atBottom();
    const fragment = document.createDocumentFragment();
    for (const line of lines) if (passesLevel(line, minimum)) fragment.append(lineEl(line));
    tail.append(fragment);
    while (tail.childElementCount > LOG_LIMIT) tail.firstElementChild?.remove();
    if (stick) tail.scrollTop = tail.scrollHeight;
  }

  function refreshMeta(): void {
    empty.hidden = tail.childElementCount > 0;
    setText(empty, buffer.length === 0 ? t('logs.empty') : t('logs.emptyLevel'));
    setText(count, t(buffer.length === 1 ? 'logs.line' : 'logs.lines', { count: buffer.length }));
    setText(
      pause,
      paused ? (unseen > 0 ? t('logs.resumeNew', { count: unseen >= LOG_LIMIT ? `${LOG_LIMIT}+` : unseen }) : t('logs.resume')) : t('logs.pause'),
    );
    pause.setAttribute('aria-pressed', String(paused));
  }

  function flush(): void {
    frame = 0;
    const lines = queued;
    queued = [];
    appendBounded(buffer, lines, LOG_LIMIT);
    if (paused) unseen += lines.filter((line) => passesLevel(line, minimum)).length;
    else appendLines(lines);
    refreshMeta();
  }

  level.addEventListener('change', () => {
    minimum = level.value as LogLevel;
    if (!paused) renderAll();
  });
  pause.addEventListener('click', () => {
    paused = !paused;
    if (!paused) {
      unseen = 0;
      renderAll();
    } else refreshMeta();
  });

  refreshMeta();
  return {
    el,
    reset(lines) {
      buffer.length = 0;
      queued = [];
      appendBounded(buffer, lines, LOG_LIMIT);
      renderAll();
    },
    add(line) {
      // The queue is bounded too: while the tab is hidden, frames do not run.
      queued.push(line);
      if (queued.length > LOG_LIMIT) queued.splice(0, queued.length - LOG_LIMIT);
      if (!frame) frame = requestAnimationFrame(flush);
    },
    newestAt() {
      const last = queued[queued.length - 1] ?? buffer[buffer.length - 1];
      return last ? last.at : 0;
    },
  };
}
