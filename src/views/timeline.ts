// The last hour as a strip chart: running / starting / down bands and restart markers.
// Drawn with SVG elements and attributes (no inline styles, CSP-safe); geometry in a 1000-unit
// wide viewBox stretched to the card, lines kept crisp with non-scaling strokes.
import type { TimelineEntry } from '../../electron/core/api';
import { formatClock, formatDuration } from '../logic/format';
import { STATE_LOOK } from '../logic/state';
import { bandShares, restartMarkers, TIMELINE_WINDOW_MS, timelineBands, type BandKind } from '../logic/timeline';
import { h, replace, setText, svg } from './dom';
import type { View } from './view';
import { t } from '../i18n';

const WIDTH = 1000;
const HEIGHT = 36;
const BAND_TOP = 8;

const KIND_LABEL = (kind: BandKind): string => t(`stateLabel.${kind}`);

export function createTimeline(): View<{ entries: TimelineEntry[]; now: number }> {
  const chart = svg('svg', {
    class: 'timeline-chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    role: 'img',
    testid: 'timeline',
    id: 'timeline',
  });
  const summary = h('p', { class: 'card-aside', testid: 'timeline-summary' });
  const legend = h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    ...(['running', 'starting', 'stopped', 'error'] as const).map((kind) =>
      h('li', { 'data-kind': kind }, h('span', { class: 'swatch' }), KIND_LABEL(kind)),
    ),
    h('li', { 'data-kind': 'restart' }, h('span', { class: 'swatch' }), t('timeline.restart')),
  );
  const axis = h(
    'div',
    { class: 'timeline-axis', 'aria-hidden': 'true' },
    h('span', { text: t('timeline.ago60') }),
    h('span', { text: t('timeline.mid30') }),
    h('span', { text: t('timeline.now') }),
  );
  const el = h(
    'section',
    { class: 'card card-timeline', 'aria-labelledby': 'timeline-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'timeline-title', text: t('card.lastHour') }), summary),
    chart,
    axis,
    legend,
  );

  const x = (at: number, now: number): number => ((at - (now - TIMELINE_WINDOW_MS)) / TIMELINE_WINDOW_MS) * WIDTH;

  return {
    el,
    update({ entries, now }) {
      const bands = timelineBands(entries, now);
      const markers = restartMarkers(entries, now);
      const track = svg('rect', { class: 'timeline-track', x: 0, y: BAND_TOP, width: WIDTH, height: HEIGHT - BAND_TOP });
      const bandEls = bands.map((band) =>
        svg(
          'rect',
          {
            class: 'timeline-band',
            'data-kind': band.kind,
            x: x(band.from, now).toFixed(2),
            y: BAND_TOP,
            // At least a sliver, so a short start or crash is still visible.
            width: Math.max(1.5, x(band.to, now) - x(band.from, now)).toFixed(2),
            height: HEIGHT - BAND_TOP,
          },
          svg('title', {
            text: `${STATE_LOOK[band.state].label} · ${formatClock(band.from)}–${formatClock(band.to)} (${formatDuration(band.to - band.from)})`,
          }),
        ),
      );
      const markerEls = markers.map((marker) =>
        svg(
          'line',
          {
            class: 'timeline-marker',
            x1: x(marker.at, now).toFixed(2),
            x2: x(marker.at, now).toFixed(2),
            y1: 0,
            y2: HEIGHT,
            'vector-effect': 'non-scaling-stroke',
          },
          svg('title', {
            text: `${t('timeline.restartAt', { time: formatClock(marker.at) })}${marker.previousPid !== undefined && marker.pid !== undefined ? ` (pid ${marker.previousPid} → ${marker.pid})` : ''}`,
          }),
        ),
      );
      replace(chart, track, ...bandEls, ...markerEls);

      const shares = bandShares(bands);
      const covered = shares.running + shares.starting + shares.stopped + shares.error;
      const restarts = t(markers.length === 1 ? 'glance.restart' : 'glance.restarts', { count: markers.length });
      const text =
        covered === 0
          ? t('timeline.noHistory')
          : t('timeline.summary', {
              percent: Math.round((shares.running / covered) * 100),
              span: formatDuration(covered * TIMELINE_WINDOW_MS),
              restarts,
            });
      setText(summary, text);
      chart.setAttribute(
        'aria-label',
        covered === 0
          ? t('timeline.noHistoryAria')
          : t('timeline.aria', {
              running: pct(shares.running),
              starting: pct(shares.starting),
              stopped: pct(shares.stopped),
              error: pct(shares.error),
              restarts,
            }),
      );
    },
  };
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;
