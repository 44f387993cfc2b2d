/**
 * Report charts as SVG, rendered on the server with echarts' SSR mode: the page shows
 * them as <img>, so no chart script runs in the browser and the CSP stays strict.
 * echarts is loaded on first use, keeping it off the start-up path.
 */
import type { EChartsOption } from 'echarts';
import { formatNumber, SERVQUAL_LABELS } from '../../digest/texts.js';
import type { MetricsReport } from '../../metrics/index.js';

export const CHART_NAMES = ['first-response', 'compliance', 'channel', 'intent', 'servqual'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

const WIDTH = 640;
const HEIGHT = 320;
const COLORS = ['#1f5fa8', '#d9822b', '#2e8b57', '#8e44ad', '#c0392b'];

let echartsModule: Promise<typeof import('echarts')> | null = null;

export async function renderSvg(option: EChartsOption, width = WIDTH, height = HEIGHT): Promise<string> {
  echartsModule ??= import('echarts');
  const echarts = await echartsModule;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    // Without dispose the chart keeps timers and the process does not exit.
    chart.dispose();
  }
}

const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 6000) / 10);
const percent = (share: number | null): number | null => (share === null ? null : Math.round(share * 1000) / 10);
const shortDate = (date: string): string => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

/** Numbers the Indonesian way ("6,6"), as in the digest. */
const numberLabel = (value: unknown): string => (typeof value === 'number' ? formatNumber(value) : '');

function barsOf(title: string, counts: readonly { key: string; count: number }[], labels: Readonly<Record<string, string>> = {}): EChartsOption {
  const top = counts.slice(0, 12).reverse().map((c) => ({ ...c, key: labels[c.key] ?? c.key }));
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 150, right: 40, top: 40, bottom: 30 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((c) => c.key) },
    series: [{ type: 'bar', data: top.map((c) => c.count), label: { show: true, position: 'right' } }],
  };
}

export function chartOption(name: ChartName, report: MetricsReport): EChartsOption {
  const dates = report.firstResponse.days.map((d) => shortDate(d.date));
  switch (name) {
    case 'first-response':
      return {
        title: { text: 'Respons pertama (menit kerja)', left: 'center', textStyle: { fontSize: 14 } },
        legend: { bottom: 0, itemGap: 30 },
        grid: { left: 50, right: 20, top: 40, bottom: 60 },
        xAxis: { type: 'category', data: dates },
        yAxis: { type: 'value', name: 'mnt', axisLabel: { formatter: numberLabel } },
        series: [
          { name: 'Separuh dijawab dalam (median)', type: 'bar', data: report.firstResponse.days.map((d) => minutes(d.medianMs)) },
          { name: '9 dari 10 dijawab dalam', type: 'bar', data: report.firstResponse.days.map((d) => minutes(d.p90Ms)) },
        ],
      };
    case 'compliance':
      return {
        title: { text: 'Kepatuhan SLA (%)', left: 'center', textStyle: { fontSize: 14 } },
        legend: { bottom: 0, itemGap: 30 },
        grid: { left: 50, right: 20, top: 40, bottom: 60 },
        xAxis: { type: 'category', data: dates },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: numberLabel } },
        series: [
          { name: 'Respons pertama', type: 'bar', data: report.compliance.days.map((d) => percent(d.firstResponse.rate)) },
          { name: 'Penyelesaian', type: 'bar', data: report.compliance.days.map((d) => percent(d.resolution.rate)) },
        ],
      };
    case 'channel':
      return barsOf('Tiket per kanal', report.volume.byChannel);
    case 'intent':
      return barsOf('Tiket per topik', report.volume.byIntent);
    case 'servqual':
      return barsOf('Tiket per dimensi mutu layanan', report.volume.byServqual, SERVQUAL_LABELS);
  }
}
