/**
 * renderDigestChart: one PNG for phones. Top: first response per hour of the day the
 * tickets were opened (median business minutes, with the tickets opened as a line).
 * Bottom: the 7-day trend (median and P90 first response, tickets opened). Drawn with
 * echarts' server-side SVG renderer, then rasterised by resvg (chat apps show PNG, not
 * SVG). echarts is loaded on first use so it stays off the start-up path.
 */
import type { EChartsOption } from 'echarts';
import { digestTexts as t } from './texts.js';
import type { Digest } from './types.js';

const WIDTH = 800;
const HEIGHT = 720;
const GREEN = '#2e8b57';
const COLORS = ['#1f5fa8', '#d9822b', GREEN];

let echartsModule: Promise<typeof import('echarts')> | null = null;
let resvgModule: Promise<typeof import('@resvg/resvg-js')> | null = null;

/** Office hours are always shown; hours outside them only when a ticket was opened then. */
function hoursShown(digest: Digest): number[] {
  const busy = digest.firstResponseByHour.filter((h) => h.opened > 0).map((h) => h.hour);
  const from = Math.min(7, ...busy);
  const to = Math.max(17, ...busy);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function digestChartOption(digest: Digest): EChartsOption {
  const hours = hoursShown(digest);
  const hourly = hours.map((h) => digest.firstResponseByHour[h]!);
  const dates = digest.trend.map((d) => `${d.date.slice(8, 10)}/${d.date.slice(5, 7)}`);
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: COLORS,
    textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
    title: [
      { text: t.chartHourTitle, left: 'center', top: 8, textStyle: { fontSize: 15 } },
      { text: t.chartTrendTitle, left: 'center', top: 372, textStyle: { fontSize: 15 } },
    ],
    legend: [{ top: 32, data: [t.chartHourMedian, t.chartOpened] }, { top: 396, data: [t.chartMedian, t.chartP90, t.chartOpened] }],
    grid: [
      { left: 60, right: 60, top: 70, height: 250 },
      { left: 60, right: 60, top: 434, height: 240 },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: hours.map((h) => `${String(h).padStart(2, '0')}`) },
      { type: 'category', gridIndex: 1, data: dates },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'menit' },
      { type: 'value', gridIndex: 0, name: 'tiket', minInterval: 1, splitLine: { show: false } },
      { type: 'value', gridIndex: 1, name: 'menit' },
      { type: 'value', gridIndex: 1, name: 'tiket', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: t.chartHourMedian, type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: hourly.map((h) => h.medianMinutes), label: { show: true, position: 'top' } },
      { name: t.chartOpened, type: 'scatter', xAxisIndex: 0, yAxisIndex: 1, data: hourly.map((h) => h.opened), symbolSize: 9, itemStyle: { color: GREEN } },
      { name: t.chartMedian, type: 'line', xAxisIndex: 1, yAxisIndex: 2, data: digest.trend.map((d) => d.medianMinutes), connectNulls: true },
      { name: t.chartP90, type: 'line', xAxisIndex: 1, yAxisIndex: 2, data: digest.trend.map((d) => d.p90Minutes), connectNulls: true },
      { name: t.chartOpened, type: 'bar', xAxisIndex: 1, yAxisIndex: 3, data: digest.trend.map((d) => d.ticketsOpened), itemStyle: { color: GREEN, opacity: 0.35 } },
    ],
  };
}

export async function renderDigestSvg(digest: Digest): Promise<string> {
  echartsModule ??= import('echarts');
  const echarts = await echartsModule;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption(digestChartOption(digest));
    return chart.renderToSVGString();
  } finally {
    // Without dispose the chart keeps timers and the process does not exit.
    chart.dispose();
  }
}

export async function renderDigestChart(digest: Digest): Promise<Uint8Array> {
  const svg = await renderDigestSvg(digest);
  resvgModule ??= import('@resvg/resvg-js');
  const { Resvg } = await resvgModule;
  const png = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
