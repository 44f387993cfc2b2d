/**
 * renderDigestChart: one PNG for phones. Top: first response per hour of the day the
 * tickets were opened (median business minutes; the tickets opened written under each hour).
 * Bottom: the 7-day trend (median first response, the time 9 in 10 were answered within,
 * tickets opened). Drawn with
 * echarts' server-side SVG renderer, then rasterised by resvg (chat apps show PNG, not
 * SVG). echarts is loaded on first use so it stays off the start-up path.
 */
import type { EChartsOption } from 'echarts';
import { digestTexts as t, formatNumber } from './texts.js';
import type { Digest } from './types.js';

const WIDTH = 800;
const HEIGHT = 720;
const GREEN = '#2e8b57';
const PURPLE = '#7b3fa0';
const BLUE = '#1f5fa8';
const COLORS = [BLUE, '#d9822b', GREEN];

let echartsModule: Promise<typeof import('echarts')> | null = null;
let resvgModule: Promise<typeof import('@resvg/resvg-js')> | null = null;

/** Office hours are always shown; hours outside them only when a ticket was opened then. */
function hoursShown(digest: Digest): number[] {
  const busy = digest.firstResponseByHour.filter((h) => h.opened > 0).map((h) => h.hour);
  const from = Math.min(7, ...busy);
  const to = Math.max(17, ...busy);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Axis and label numbers the Indonesian way ("6,6"), like the digest text. */
const numberLabel = (value: unknown): string => (typeof value === 'number' ? formatNumber(value) : '');

/** Room above the tallest bar or marker for its label: neither touches the top of the plot or the legend. */
const HEADROOM: [number, string] = [0, '25%'];

export function digestChartOption(digest: Digest): EChartsOption {
  const hours = hoursShown(digest);
  const hourly = hours.map((h) => digest.firstResponseByHour[h]!);
  const dates = digest.trend.map((d) => `${d.date.slice(8, 10)}/${d.date.slice(5, 7)}`);
  // The server renders text with DejaVu Sans, wider than echarts' estimate: legends get wide gaps
  // and sit between the title and the plot, so no entry runs into the next one's symbol.
  const legend = (top: number, data: string[]) => ({ top, itemGap: 40, itemWidth: 18, textStyle: { fontSize: 13 }, data });
  const minutesAxis = (gridIndex: number) => ({
    type: 'value' as const,
    gridIndex,
    name: t.chartMinutesAxis,
    nameLocation: 'end' as const,
    nameTextStyle: { align: 'left' as const },
    boundaryGap: HEADROOM,
    axisLabel: { formatter: numberLabel },
  });
  // The count axis on the right, its ticks aligned with the minutes axis (one set of grid lines, no second scale drawn across it).
  const countAxis = (gridIndex: number) => ({
    type: 'value' as const,
    gridIndex,
    name: t.chartCountAxis,
    nameLocation: 'end' as const,
    nameTextStyle: { align: 'right' as const },
    position: 'right' as const,
    minInterval: 1,
    alignTicks: true,
    boundaryGap: HEADROOM,
    splitLine: { show: false },
    axisLabel: { formatter: numberLabel },
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: COLORS,
    textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
    title: [
      { text: t.chartHourTitle, left: 'center', top: 8, textStyle: { fontSize: 15 } },
      { text: t.chartTrendTitle, left: 'center', top: 372, textStyle: { fontSize: 15 } },
    ],
    // Top: one series, so no legend; the tickets opened per hour are written under each hour.
    legend: [legend(398, [t.chartMedian, t.chartP90, t.chartOpened])],
    grid: [
      { left: 64, right: 64, top: 60, height: 240 },
      { left: 64, right: 64, top: 448, height: 226 },
    ],
    xAxis: [
      {
        type: 'category',
        gridIndex: 0,
        name: t.chartHourAxis,
        nameLocation: 'middle',
        nameGap: 50,
        axisLabel: { interval: 0, lineHeight: 16 },
        data: hourly.map((h) => `${String(h.hour).padStart(2, '0')}${h.opened > 0 ? `\n${t.chartOpenedAt(h.opened)}` : ''}`),
      },
      { type: 'category', gridIndex: 1, data: dates },
    ],
    yAxis: [minutesAxis(0), minutesAxis(1), countAxis(1)],
    series: [
      {
        name: t.chartHourMedian,
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: hourly.map((h) => h.medianMinutes),
        label: { show: true, position: 'insideTop', color: '#ffffff', formatter: (p: { value: unknown }) => numberLabel(p.value) },
      },
      { name: t.chartMedian, type: 'line', xAxisIndex: 1, yAxisIndex: 1, data: digest.trend.map((d) => d.medianMinutes), connectNulls: true, itemStyle: { color: BLUE } },
      { name: t.chartP90, type: 'line', xAxisIndex: 1, yAxisIndex: 1, data: digest.trend.map((d) => d.p90Minutes), connectNulls: true, itemStyle: { color: PURPLE }, lineStyle: { type: 'dashed' } },
      { name: t.chartOpened, type: 'bar', xAxisIndex: 1, yAxisIndex: 2, data: digest.trend.map((d) => d.ticketsOpened), itemStyle: { color: GREEN, opacity: 0.35 }, z: 1 },
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
