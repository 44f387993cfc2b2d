/**
 * A fake Telegram Bot API server on loopback, so tests run the real telegraf
 * (pointed at it with `apiRoot`) without the network.
 *
 * It models what matters for reliability, not the whole API:
 * - getUpdates is a long poll that honours `offset` the way Telegram does: an
 *   update counts as confirmed once getUpdates is called with a higher offset,
 *   and only then is it dropped from the queue. Every offset is recorded so
 *   tests can prove "stored before acknowledged".
 * - the long-poll wait is capped (`maxPollWaitMs`) so stopping a client or the
 *   server never hangs a test, and a newly enqueued update wakes waiting polls.
 * - sendMessage records what was sent and can be scripted to fail (429 with
 *   retry_after, 403, 400, 500, a dropped connection).
 * - sendPhoto / sendDocument / sendVoice / sendAudio accept multipart uploads (as
 *   telegraf sends a buffer) and record the file bytes, caption and keyboard;
 *   editMessageCaption edits the caption of such a post.
 * - getFile plus the file download path serve registered files.
 * - editMessageText edits a message the bot sent (and answers "message is not
 *   modified" like Telegram); group messages, replies to the bot's posts and
 *   button presses in a group can be built for the staff-group tests.
 *
 * Reusable: the crash test runs the real process against it
 * (TELEGRAM_API_ROOT = fake.apiRoot, TELEGRAM_BOT_TOKEN = fake.token).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update, User } from 'telegraf/types';

type ReplyMessage = NonNullable<Message.TextMessage['reply_to_message']>;

export interface FakeBotApiOptions {
  readonly token?: string;
  /** Longest a getUpdates call waits for updates, whatever `timeout` the client asks for. */
  readonly maxPollWaitMs?: number;
}

/** A failure the server returns instead of the normal answer. */
export type FakeFailure =
  | { readonly kind: 'api_error'; readonly code: number; readonly description: string; readonly retryAfterSeconds?: number }
  /** A bare HTTP status with a non-JSON body (a proxy's 502, say). */
  | { readonly kind: 'http_status'; readonly status: number }
  /** Close the socket without answering: a network error on the client side. */
  | { readonly kind: 'drop_connection' };

export const failures = {
  tooManyRequests: (retryAfterSeconds: number): FakeFailure => ({
    kind: 'api_error',
    code: 429,
    description: `Too Many Requests: retry after ${retryAfterSeconds}`,
    retryAfterSeconds,
  }),
  blocked: (): FakeFailure => ({ kind: 'api_error', code: 403, description: 'Forbidden: bot was blocked by the user' }),
  chatNotFound: (): FakeFailure => ({ kind: 'api_error', code: 400, description: 'Bad Request: chat not found' }),
  serverError: (): FakeFailure => ({ kind: 'http_status', status: 500 }),
  dropConnection: (): FakeFailure => ({ kind: 'drop_connection' }),
} as const;

export interface ApiCall {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly at: number;
}

export interface SentMessage {
  readonly messageId: number;
  readonly chatId: string;
  readonly text: string;
  readonly replyMarkup?: unknown;
  /** The message this one answers (reply_parameters.message_id or reply_to_message_id). */
  readonly replyToMessageId?: number;
  /** performance.now() when the request arrived (for rate-limit lower bounds). */
  readonly at: number;
}

export type FileMethod = 'sendPhoto' | 'sendDocument' | 'sendVoice' | 'sendAudio';
const FILE_FIELD: Record<FileMethod, string> = { sendPhoto: 'photo', sendDocument: 'document', sendVoice: 'voice', sendAudio: 'audio' };

/** A photo, document, voice note or audio file the bot uploaded. */
export interface SentFile {
  readonly messageId: number;
  readonly method: FileMethod;
  readonly chatId: string;
  readonly caption?: string;
  readonly fileName: string;
  readonly data: Uint8Array;
  readonly replyMarkup?: unknown;
  readonly at: number;
}

/** One editMessageText call that changed a message. */
export interface EditedMessage {
  readonly messageId: number;
  readonly chatId: string;
  readonly text: string;
  readonly replyMarkup?: unknown;
}

export interface FakeFile {
  readonly fileId: string;
  readonly content: Uint8Array;
  readonly filePath?: string;
}

export interface FakeWebhook {
  readonly url: string;
  readonly secretToken?: string;
}

export interface MessageOptions {
  readonly userId?: number;
  readonly firstName?: string;
  readonly username?: string;
}

export interface GroupMessageOptions extends MessageOptions {
  /** Makes the message a reply to this message of the bot (a ticket post, say). */
  readonly replyTo?: SentMessage;
}

/** Builders for realistic updates; each gets the next update_id and message_id. */
export interface UpdateBuilders {
  text(chatId: number, text: string, options?: MessageOptions): Update;
  photo(chatId: number, sizes: readonly { fileId: string; bytes: number }[], caption?: string): Update;
  document(
    chatId: number,
    doc: { fileId: string; bytes: number; mimeType: string; fileName: string },
    caption?: string,
  ): Update;
  sticker(chatId: number): Update;
  /** A voice note; with `file`, its bytes are registered for getFile and download. */
  voice(chatId: number, file?: { fileId: string; content?: Uint8Array; bytes?: number; duration: number; mimeType?: string }, caption?: string): Update;
  /** An audio file (mp3, m4a); with `content`, its bytes are registered for getFile and download. */
  audio(chatId: number, file: { fileId: string; content?: Uint8Array; bytes?: number; duration: number; mimeType: string; fileName?: string }): Update;
  location(chatId: number): Update;
  /** A press on an inline keyboard button under one of the bot's messages. */
  callback(
    chatId: number,
    data: string,
    keyboard?: readonly { text: string; callback_data: string }[][],
  ): Update;
  /** A message in a group; from user 777 unless `options.userId` says otherwise. */
  groupText(chatId: number, text: string, options?: GroupMessageOptions): Update;
  /** A sticker in a group, e.g. as a reply to a ticket post. */
  groupSticker(chatId: number, options?: GroupMessageOptions): Update;
  /** A press on a button under one of the bot's messages in a group, by `options.userId`. */
  groupCallback(chatId: number, data: string, message: SentMessage, options?: MessageOptions): Update;
}

export interface FakeBotApi {
  readonly apiRoot: string;
  readonly token: string;
  readonly bot: User;
  readonly build: UpdateBuilders;
  /** Queue updates for getUpdates. The same update may be queued twice (a redelivery). */
  enqueue(...updates: Update[]): void;
  /** Updates not yet confirmed by an offset. */
  pending(): readonly Update[];
  /** Every offset a getUpdates call carried, in order (0 when absent). */
  readonly offsets: readonly number[];
  /** Highest offset seen: every update_id below it is confirmed. */
  confirmedOffset(): number;
  isConfirmed(updateId: number): boolean;
  readonly calls: readonly ApiCall[];
  callsOf(method: string): readonly ApiCall[];
  readonly sent: readonly SentMessage[];
  sentTo(chatId: number | string): readonly SentMessage[];
  /** Photos, documents, voice notes and audio files uploaded, in order. */
  readonly files: readonly SentFile[];
  /** Successful editMessageText calls, in order. */
  readonly edits: readonly EditedMessage[];
  /** Successful editMessageCaption calls, in order (`text` is the caption). */
  readonly captionEdits: readonly EditedMessage[];
  /** A sent message as it reads now (after edits). */
  current(messageId: number): { readonly text: string; readonly replyMarkup?: unknown } | undefined;
  /**
   * The next `times` calls of `method` fail this way; with `skip`, that many
   * calls succeed first (fail the second part of a split message).
   */
  failNext(method: string, failure: FakeFailure, times?: number, options?: { skip?: number }): void;
  /** Drop every scripted failure. */
  clearFailures(): void;
  addFile(file: FakeFile): void;
  readonly downloads: readonly string[];
  webhook(): FakeWebhook | undefined;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = '123456:TEST-token_for-fake-api';
const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;

interface PollWaiter {
  readonly wake: () => void;
}

export async function createFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? DEFAULT_TOKEN;
  const maxPollWaitMs = options.maxPollWaitMs ?? 1_000;
  const botId = Number(token.split(':')[0]) || 123456;
  const bot: User = { id: botId, is_bot: true, first_name: 'SAPA', username: 'sapa_test_bot' };

  let queue: Update[] = [];
  const offsets: number[] = [];
  const calls: ApiCall[] = [];
  const sent: SentMessage[] = [];
  const edits: EditedMessage[] = [];
  const captionEdits: EditedMessage[] = [];
  /** Captions of files the bot sent, by message id (editMessageCaption). */
  const captions = new Map<number, { chatId: string; caption: string }>();
  const sentFiles: SentFile[] = [];
  /** Current text and keyboard of each message the bot sent, by message id. */
  const currentText = new Map<number, { chatId: string; text: string; replyMarkup?: unknown }>();
  const downloads: string[] = [];
  const files = new Map<string, FakeFile>();
  const scripted = new Map<string, { failure: FakeFailure; skip: number }[]>();
  const waiters = new Set<PollWaiter>();
  let currentWebhook: FakeWebhook | undefined;
  let nextUpdateId = 10_000;
  let nextMessageId = 1;
  let nextCallbackId = 1;
  let closing = false;

  const confirmedOffset = (): number => offsets.reduce((max, o) => Math.max(max, o), 0);

  function wakeAll(): void {
    for (const waiter of [...waiters]) waiter.wake();
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function ok(res: ServerResponse, result: unknown): void {
    sendJson(res, 200, { ok: true, result });
  }

  function apiError(res: ServerResponse, code: number, description: string, retryAfterSeconds?: number): void {
    const body: Record<string, unknown> = { ok: false, error_code: code, description };
    if (retryAfterSeconds !== undefined) body['parameters'] = { retry_after: retryAfterSeconds };
    sendJson(res, code, body);
  }

  /** Answers with a scripted failure when one is queued for this method. */
  function applyScriptedFailure(method: string, res: ServerResponse): boolean {
    const list = scripted.get(method);
    const head = list?.[0];
    if (list === undefined || head === undefined) return false;
    if (head.skip > 0) {
      head.skip--;
      return false;
    }
    list.shift();
    const failure = head.failure;
    switch (failure.kind) {
      case 'api_error':
        apiError(res, failure.code, failure.description, failure.retryAfterSeconds);
        break;
      case 'http_status':
        res.writeHead(failure.status, { 'content-type': 'text/plain' });
        res.end('Internal Server Error');
        break;
      case 'drop_connection':
        res.socket?.destroy();
        break;
    }
    return true;
  }

  async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const raw = body.toString('utf8');
    if (raw.length === 0) return params;
    const type = req.headers['content-type'] ?? '';
    if (type.includes('multipart/form-data')) {
      // Node's own multipart parser (undici); files become { fileName, data } entries.
      const form = await new Response(body, { headers: { 'content-type': type } }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') {
          params[key] = key === 'reply_markup' ? (JSON.parse(value) as unknown) : value;
        } else {
          params[key] = { fileName: value.name, data: new Uint8Array(await value.arrayBuffer()) };
        }
      }
    } else if (type.includes('application/json')) {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null) Object.assign(params, parsed);
    } else if (type.includes('application/x-www-form-urlencoded')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
    }
    return params;
  }

  function numberParam(params: Record<string, unknown>, name: string): number | undefined {
    const value = params[name];
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    return undefined;
  }

  function takeUpdates(limit: number): Update[] {
    return queue.slice(0, limit);
  }

  async function getUpdates(params: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (currentWebhook !== undefined) {
      apiError(res, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      return;
    }
    const offset = numberParam(params, 'offset') ?? 0;
    const limit = Math.min(Math.max(numberParam(params, 'limit') ?? 100, 1), 100);
    const timeoutMs = Math.min((numberParam(params, 'timeout') ?? 0) * 1000, maxPollWaitMs);
    offsets.push(offset);
    // Telegram semantics: calling with an offset confirms every update below it.
    if (offset > 0) queue = queue.filter((u) => u.update_id >= offset);

    if (queue.length === 0 && timeoutMs > 0 && !closing) {
      await new Promise<void>((resolve) => {
        const waiter: PollWaiter = {
          wake: () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          },
        };
        const timer = setTimeout(waiter.wake, timeoutMs);
        waiters.add(waiter);
        // A client that aborts its long poll (stop()) must not leave a waiter behind.
        res.once('close', waiter.wake);
      });
    }
    ok(res, takeUpdates(limit));
  }

  function sendMessage(params: Record<string, unknown>, res: ServerResponse): void {
    const chatId = params['chat_id'];
    const text = params['text'];
    if ((typeof chatId !== 'string' && typeof chatId !== 'number') || String(chatId) === '') {
      apiError(res, 400, 'Bad Request: chat_id is empty');
      return;
    }
    if (typeof text !== 'string' || text.length === 0) {
      apiError(res, 400, 'Bad Request: message text is empty');
      return;
    }
    if (text.length > MAX_TEXT_LENGTH) {
      apiError(res, 400, 'Bad Request: message is too long');
      return;
    }
    const messageId = nextMessageId++;
    const replyToMessageId = replyTarget(params);
    const record: SentMessage = {
      messageId,
      chatId: String(chatId),
      text,
      at: performance.now(),
      ...(params['reply_markup'] !== undefined ? { replyMarkup: params['reply_markup'] } : {}),
      ...(replyToMessageId !== undefined ? { replyToMessageId } : {}),
    };
    sent.push(record);
    currentText.set(messageId, {
      chatId: String(chatId),
      text,
      ...(params['reply_markup'] !== undefined ? { replyMarkup: params['reply_markup'] } : {}),
    });
    ok(res, {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(Number(chatId)),
      from: bot,
      text,
    });
  }

  function sendFile(method: FileMethod, params: Record<string, unknown>, res: ServerResponse): void {
    const chatId = params['chat_id'];
    const file = params[FILE_FIELD[method]];
    const caption = params['caption'];
    if ((typeof chatId !== 'string' && typeof chatId !== 'number') || String(chatId) === '') {
      apiError(res, 400, 'Bad Request: chat_id is empty');
      return;
    }
    if (typeof file !== 'object' || file === null || !('data' in file) || !(file.data instanceof Uint8Array) || file.data.byteLength === 0) {
      apiError(res, 400, 'Bad Request: there is no file in the request');
      return;
    }
    if (typeof caption === 'string' && caption.length > MAX_CAPTION_LENGTH) {
      apiError(res, 400, 'Bad Request: message caption is too long');
      return;
    }
    const messageId = nextMessageId++;
    const fileName = 'fileName' in file && typeof file.fileName === 'string' ? file.fileName : 'file';
    sentFiles.push({
      messageId,
      method,
      chatId: String(chatId),
      fileName,
      data: file.data,
      at: performance.now(),
      ...(typeof caption === 'string' ? { caption } : {}),
      ...(params['reply_markup'] !== undefined ? { replyMarkup: params['reply_markup'] } : {}),
    });
    ok(res, {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(Number(chatId)),
      from: bot,
      ...(typeof caption === 'string' ? { caption } : {}),
      ...(method === 'sendPhoto'
        ? { photo: [{ file_id: `photo-${messageId}`, file_unique_id: `u-photo-${messageId}`, width: 1, height: 1 }] }
        : method === 'sendVoice'
          ? { voice: { file_id: `voice-${messageId}`, file_unique_id: `u-voice-${messageId}`, duration: 1 } }
          : method === 'sendAudio'
            ? { audio: { file_id: `audio-${messageId}`, file_unique_id: `u-audio-${messageId}`, duration: 1, file_name: fileName } }
            : { document: { file_id: `doc-${messageId}`, file_unique_id: `u-doc-${messageId}`, file_name: fileName } }),
    });
    captions.set(messageId, { chatId: String(chatId), caption: typeof caption === 'string' ? caption : '' });
  }

  /** Edits the caption of a file the bot sent; a text message has none to edit, as on Telegram. */
  function editMessageCaption(params: Record<string, unknown>, res: ServerResponse): void {
    const chatId = String(params['chat_id'] ?? '');
    const messageId = numberParam(params, 'message_id');
    const caption = params['caption'];
    const existing = messageId === undefined ? undefined : captions.get(messageId);
    if (messageId === undefined || existing === undefined || existing.chatId !== chatId) {
      apiError(res, 400, 'Bad Request: message to edit not found');
      return;
    }
    if (typeof caption !== 'string' || caption.length > MAX_CAPTION_LENGTH) {
      apiError(res, 400, 'Bad Request: message caption is too long');
      return;
    }
    const replyMarkup = params['reply_markup'];
    captions.set(messageId, { chatId, caption });
    captionEdits.push({ messageId, chatId, text: caption, ...(replyMarkup !== undefined ? { replyMarkup } : {}) });
    ok(res, { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: chatOf(Number(chatId)), from: bot, caption });
  }

  function replyTarget(params: Record<string, unknown>): number | undefined {
    const parameters = params['reply_parameters'];
    if (typeof parameters === 'object' && parameters !== null && 'message_id' in parameters && typeof parameters.message_id === 'number') {
      return parameters.message_id;
    }
    return numberParam(params, 'reply_to_message_id');
  }

  function editMessageText(params: Record<string, unknown>, res: ServerResponse): void {
    const chatId = String(params['chat_id'] ?? '');
    const messageId = numberParam(params, 'message_id');
    const text = params['text'];
    const existing = messageId === undefined ? undefined : currentText.get(messageId);
    if (messageId === undefined || existing === undefined || existing.chatId !== chatId) {
      apiError(res, 400, 'Bad Request: message to edit not found');
      return;
    }
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) {
      apiError(res, 400, 'Bad Request: message text is empty or too long');
      return;
    }
    const replyMarkup = params['reply_markup'];
    if (text === existing.text && JSON.stringify(replyMarkup) === JSON.stringify(existing.replyMarkup)) {
      apiError(res, 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same');
      return;
    }
    const next = { chatId, text, ...(replyMarkup !== undefined ? { replyMarkup } : {}) };
    currentText.set(messageId, next);
    edits.push({ messageId, ...next });
    ok(res, { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: chatOf(Number(chatId)), from: bot, text });
  }

  function getFile(params: Record<string, unknown>, res: ServerResponse): void {
    const fileId = params['file_id'];
    const file = typeof fileId === 'string' ? files.get(fileId) : undefined;
    if (file === undefined) {
      apiError(res, 400, 'Bad Request: invalid file_id');
      return;
    }
    ok(res, {
      file_id: file.fileId,
      file_unique_id: `u-${file.fileId}`,
      file_size: file.content.byteLength,
      file_path: file.filePath ?? `documents/${file.fileId}.bin`,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const filePrefix = `/file/bot${token}/`;
    if (url.pathname.startsWith(filePrefix)) {
      const path = decodeURIComponent(url.pathname.slice(filePrefix.length));
      const file = [...files.values()].find((f) => (f.filePath ?? `documents/${f.fileId}.bin`) === path);
      if (file === undefined) {
        apiError(res, 404, 'Not Found');
        return;
      }
      downloads.push(path);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.byteLength });
      res.end(Buffer.from(file.content));
      return;
    }

    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (match === null) {
      apiError(res, 404, 'Not Found');
      return;
    }
    const [, requestToken, method] = match;
    if (requestToken !== token || method === undefined) {
      apiError(res, 401, 'Unauthorized');
      return;
    }
    const params = await readParams(req, url);
    calls.push({ method, params, at: performance.now() });
    if (applyScriptedFailure(method, res)) return;

    switch (method) {
      case 'getMe':
        ok(res, bot);
        return;
      case 'deleteWebhook':
        currentWebhook = undefined;
        if (params['drop_pending_updates'] === true || params['drop_pending_updates'] === 'true') queue = [];
        ok(res, true);
        return;
      case 'setWebhook': {
        const hookUrl = params['url'];
        if (typeof hookUrl !== 'string' || hookUrl === '') {
          apiError(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
          return;
        }
        const secret = params['secret_token'];
        currentWebhook = { url: hookUrl, ...(typeof secret === 'string' ? { secretToken: secret } : {}) };
        // Waiting long polls end with a conflict on their next call, as on Telegram.
        wakeAll();
        ok(res, true);
        return;
      }
      case 'getWebhookInfo':
        ok(res, { url: currentWebhook?.url ?? '', has_custom_certificate: false, pending_update_count: queue.length });
        return;
      case 'getUpdates':
        await getUpdates(params, res);
        return;
      case 'sendMessage':
        sendMessage(params, res);
        return;
      case 'sendPhoto':
      case 'sendDocument':
      case 'sendVoice':
      case 'sendAudio':
        sendFile(method, params, res);
        return;
      case 'editMessageCaption':
        editMessageCaption(params, res);
        return;
      case 'answerCallbackQuery':
        ok(res, true);
        return;
      case 'editMessageText':
        editMessageText(params, res);
        return;
      case 'getFile':
        getFile(params, res);
        return;
      default:
        apiError(res, 404, 'Not Found: method not found');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A fake that hides its own bugs would make tests lie: answer 500 and say why.
      const description = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) apiError(res, 500, `fake server error: ${description}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** Negative ids are groups, as on Telegram. */
  function chatOf(chatId: number) {
    return chatId < 0
      ? { id: chatId, type: 'supergroup' as const, title: 'Staf Paspor' }
      : { id: chatId, type: 'private' as const, first_name: 'Applicant' };
  }

  const from = (options: MessageOptions | undefined, chatId: number): User => ({
    id: options?.userId ?? chatId,
    is_bot: false,
    first_name: options?.firstName ?? 'Maria',
    ...(options?.username !== undefined ? { username: options.username } : {}),
  });
  const privateChat = (chatId: number, options?: MessageOptions) => ({
    id: chatId,
    type: 'private' as const,
    first_name: options?.firstName ?? 'Maria',
  });
  const base = (chatId: number, options?: MessageOptions) => ({
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: privateChat(chatId, options),
    from: from(options, chatId),
  });

  const build: UpdateBuilders = {
    text: (chatId, text, options) => ({ update_id: nextUpdateId++, message: { ...base(chatId, options), text } }),
    photo: (chatId, sizes, caption) => ({
      update_id: nextUpdateId++,
      message: {
        ...base(chatId),
        photo: sizes.map((s, i) => ({
          file_id: s.fileId,
          file_unique_id: `u-${s.fileId}`,
          width: 90 * (i + 1),
          height: 90 * (i + 1),
          file_size: s.bytes,
        })),
        ...(caption !== undefined ? { caption } : {}),
      },
    }),
    document: (chatId, doc, caption) => ({
      update_id: nextUpdateId++,
      message: {
        ...base(chatId),
        document: {
          file_id: doc.fileId,
          file_unique_id: `u-${doc.fileId}`,
          file_name: doc.fileName,
          mime_type: doc.mimeType,
          file_size: doc.bytes,
        },
        ...(caption !== undefined ? { caption } : {}),
      },
    }),
    sticker: (chatId) => ({
      update_id: nextUpdateId++,
      message: {
        ...base(chatId),
        sticker: {
          file_id: 'sticker-1',
          file_unique_id: 'u-sticker-1',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: '👍',
        },
      },
    }),
    voice: (chatId, file, caption) => {
      if (file?.content !== undefined) files.set(file.fileId, { fileId: file.fileId, content: file.content, filePath: `voice/${file.fileId}.oga` });
      const fileId = file?.fileId ?? 'voice-1';
      return {
        update_id: nextUpdateId++,
        message: {
          ...base(chatId),
          voice: {
            file_id: fileId,
            file_unique_id: `u-${fileId}`,
            duration: file?.duration ?? 3,
            mime_type: file?.mimeType ?? 'audio/ogg',
            file_size: file?.bytes ?? file?.content?.byteLength ?? 4000,
          },
          ...(caption !== undefined ? { caption } : {}),
        },
      };
    },
    audio: (chatId, file) => {
      if (file.content !== undefined) files.set(file.fileId, { fileId: file.fileId, content: file.content, filePath: `music/${file.fileId}` });
      return {
        update_id: nextUpdateId++,
        message: {
          ...base(chatId),
          audio: {
            file_id: file.fileId,
            file_unique_id: `u-${file.fileId}`,
            duration: file.duration,
            mime_type: file.mimeType,
            file_size: file.bytes ?? file.content?.byteLength ?? 0,
            ...(file.fileName !== undefined ? { file_name: file.fileName } : {}),
          },
        },
      };
    },
    location: (chatId) => ({
      update_id: nextUpdateId++,
      message: { ...base(chatId), location: { latitude: -10.1772, longitude: 123.607 } },
    }),
    callback: (chatId, data, keyboard) => ({
      update_id: nextUpdateId++,
      callback_query: {
        id: `cbq-${nextCallbackId++}`,
        from: from(undefined, chatId),
        chat_instance: `ci-${chatId}`,
        data,
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: privateChat(chatId),
          text: 'Pilih topik:',
          ...(keyboard !== undefined ? { reply_markup: { inline_keyboard: keyboard.map((row) => [...row]) } } : {}),
        },
      },
    }),
    groupText: (chatId, text, options) => ({
      update_id: nextUpdateId++,
      message: { ...groupBase(chatId, options), text },
    }),
    groupSticker: (chatId, options) => ({
      update_id: nextUpdateId++,
      message: {
        ...groupBase(chatId, options),
        sticker: {
          file_id: 'sticker-2',
          file_unique_id: 'u-sticker-2',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      },
    }),
    groupCallback: (chatId, data, message, options) => ({
      update_id: nextUpdateId++,
      callback_query: {
        id: `cbq-${nextCallbackId++}`,
        from: from(options, 777),
        chat_instance: `ci-${chatId}`,
        data,
        message: botMessage(chatId, message),
      },
    }),
  };

  /** One of the bot's messages as Telegram embeds it in a later update (as it reads now). */
  function botMessage(chatId: number, message: SentMessage) {
    const now = currentText.get(message.messageId);
    const markup = (now?.replyMarkup ?? message.replyMarkup) as { inline_keyboard: { text: string; callback_data: string }[][] } | undefined;
    return {
      message_id: message.messageId,
      date: Math.floor(message.at / 1000),
      chat: { id: chatId, type: 'supergroup' as const, title: 'Staf Paspor' },
      from: bot,
      text: now?.text ?? message.text,
      ...(markup !== undefined ? { reply_markup: markup } : {}),
    };
  }

  /**
   * typegram types a replied-to message as `CommonMessage & { reply_to_message: undefined }`,
   * which exactOptionalPropertyTypes makes unsatisfiable; on the wire it simply lacks the
   * field, which is what this object is. The cast is confined here.
   */
  function repliedTo(chatId: number, message: SentMessage): ReplyMessage {
    return botMessage(chatId, message) as unknown as ReplyMessage;
  }

  function groupBase(chatId: number, options: GroupMessageOptions | undefined) {
    return {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'supergroup' as const, title: 'Staf Paspor' },
      from: from(options, 777),
      ...(options?.replyTo !== undefined ? { reply_to_message: repliedTo(chatId, options.replyTo) } : {}),
    };
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot,
    build,
    enqueue: (...updates) => {
      queue.push(...updates);
      wakeAll();
    },
    pending: () => [...queue],
    offsets,
    confirmedOffset,
    isConfirmed: (updateId) => confirmedOffset() > updateId,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    sent,
    sentTo: (chatId) => sent.filter((m) => m.chatId === String(chatId)),
    files: sentFiles,
    edits,
    captionEdits,
    current: (messageId) => {
      const now = currentText.get(messageId);
      return now === undefined ? undefined : { text: now.text, ...(now.replyMarkup !== undefined ? { replyMarkup: now.replyMarkup } : {}) };
    },
    failNext: (method, failure, times = 1, failOptions) => {
      const list = scripted.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ failure, skip: i === 0 ? (failOptions?.skip ?? 0) : 0 });
      scripted.set(method, list);
    },
    clearFailures: () => {
      scripted.clear();
    },
    addFile: (file) => {
      files.set(file.fileId, file);
    },
    downloads,
    webhook: () => currentWebhook,
    close: async () => {
      closing = true;
      wakeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
