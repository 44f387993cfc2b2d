/**
 * The yardstick of `npm run bench`'s end-to-end figure: a bare telegraf bot that echoes
 * every text, long polling the same fake Bot API as SAPA (TELEGRAM_BOT_TOKEN and
 * TELEGRAM_API_ROOT as SAPA reads them). Nothing stored, nothing classified.
 */
import { Telegraf } from 'telegraf';

const token = process.env['TELEGRAM_BOT_TOKEN'];
const apiRoot = process.env['TELEGRAM_API_ROOT'];
if (!token || !apiRoot) throw new Error('TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT are required');

const bot = new Telegraf(token, { telegram: { apiRoot } });
bot.on('text', (ctx) => ctx.reply(ctx.message.text));
const stop = (signal: string): void => {
  bot.stop(signal);
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
await bot.launch({ dropPendingUpdates: false });
