// "Hold to speak" for the chat page (#22): for applicants who cannot type.
//
// Two ways to record, both on one button:
// - hold it while speaking and let go to send (sliding off the button before letting go cancels);
// - tap it (or press Enter/Space on it) to start, then "Kirim suara" to send or "Batal" to
//   drop it, for people who cannot hold a button down. A press released during the
//   microphone permission prompt also ends up here.
// The recording is made by MediaRecorder in a type the browser supports (WebM/Opus on
// Chrome and Android, MP4/AAC on iOS Safari) and handed to chat.js, which sends it in
// order with the typed messages. Where the browser cannot record (no MediaRecorder, no
// getUserMedia, a page that is not https, permission refused, no microphone) pressing the
// button says so in plain words, in a live region, and the text box stays the way to write.

/** Held at least this long: let go sends. Shorter: a tap, recording goes on with buttons. */
const HOLD_MS = 600;
/** Longest recording; it is sent by itself when reached. */
export const MAX_SECONDS = 180;
/** Shorter recordings are dropped as a slip of the finger. */
const MIN_SECONDS = 1;
/** First the types iOS Safari and Chrome record; the browser's own default if none is known. */
const TYPES = ['audio/webm;codecs=opus', 'audio/mp4', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4;codecs=mp4a.40.2'];
/** Speech needs little: about 240 KB a minute, so a recording uploads on a weak connection. */
const BITS_PER_SECOND = 32_000;

/** Why this browser cannot record at all (before asking for the microphone), or null. */
export function recordingProblem() {
  if (window.isSecureContext === false) return 'insecure';
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') return 'unsupported';
  if (typeof window.MediaRecorder !== 'function') return 'unsupported';
  return null;
}

function pickType() {
  if (typeof MediaRecorder.isTypeSupported !== 'function') return '';
  return TYPES.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

/**
 * The type the recording is uploaded as (the server checks the bytes themselves): the
 * container's audio type, also when a browser calls it video/webm or video/mp4.
 */
function uploadType(recorded) {
  const base = recorded.split(';')[0].trim().toLowerCase();
  if (base.endsWith('/mp4') || base.endsWith('/x-m4a') || base.endsWith('/aac')) return 'audio/mp4';
  if (base.endsWith('/ogg')) return 'audio/ogg';
  return 'audio/webm';
}

/** 65 -> "1:05". */
export function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * Wires the voice button. `strings()` gives the page's texts in its current language;
 * `onRecorded({ blob, type, seconds })` receives each finished recording.
 */
export function setupVoice({ button, status, actions, sendButton, cancelButton, strings, onRecorded, onBusy }) {
  let state = 'idle'; // idle | starting | recording | stopping
  let mode = 'tap'; // hold | tap
  let pressed = null; // the pointer holding the button: { id, at }
  let suppressClick = false;
  let stream = null;
  let recorder = null;
  let chunks = [];
  let startedAt = 0;
  let ticker = null;

  /** The status line: what is happening, then how to go on (folded away on a cramped screen, still read out). */
  const say = (text, how = '') => {
    const what = document.createElement('span');
    what.className = 'voice__what';
    what.textContent = text;
    status.replaceChildren(what);
    if (how) {
      const next = document.createElement('span');
      next.className = 'voice__how';
      next.textContent = ` ${how}`;
      status.append(next);
    }
  };

  function problemText(kind) {
    return strings().voiceProblem[kind] ?? strings().voiceProblem.failed;
  }

  function showRecording() {
    const t = strings();
    const seconds = (performance.now() - startedAt) / 1000;
    say(`${t.voiceRecording} ${clock(seconds)}`, `${t.voiceLimit(clock(MAX_SECONDS))} ${mode === 'hold' ? t.voiceReleaseToSend : t.voicePressSend}`);
    if (seconds >= MAX_SECONDS) {
      finish(t.voiceMaxReached);
    }
  }

  function setBusy(busy) {
    button.dataset.state = busy ? 'recording' : 'idle';
    button.setAttribute('aria-pressed', busy ? 'true' : 'false');
    document.body.classList.toggle('recording', busy);
    onBusy?.(busy);
  }

  function showTapControls() {
    mode = 'tap';
    actions.hidden = false;
    if (state === 'recording') showRecording();
  }

  function stopTracks() {
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
  }

  function reset() {
    clearInterval(ticker);
    ticker = null;
    recorder = null;
    chunks = [];
    state = 'idle';
    actions.hidden = true;
    setBusy(false);
  }

  async function begin(initialMode) {
    if (state !== 'idle') return;
    const problem = recordingProblem();
    if (problem) {
      say(problemText(problem));
      return;
    }
    state = 'starting';
    mode = initialMode;
    setBusy(true);
    say(strings().voiceStarting);
    if (mode === 'tap') actions.hidden = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      reset();
      const name = err?.name ?? '';
      say(problemText(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'noMicrophone' : 'failed'));
      return;
    }
    if (state !== 'starting') {
      // Cancelled while the browser asked for the microphone.
      stopTracks();
      return;
    }
    // Let go during the permission prompt: the recording goes on, with buttons to end it.
    if (mode === 'hold' && pressed === null) showTapControls();
    const type = pickType();
    try {
      recorder = new MediaRecorder(stream, { ...(type ? { mimeType: type } : {}), audioBitsPerSecond: BITS_PER_SECOND });
    } catch {
      stopTracks();
      reset();
      say(problemText('unsupported'));
      return;
    }
    chunks = [];
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data && event.data.size > 0) chunks.push(event.data);
    });
    recorder.start();
    startedAt = performance.now();
    state = 'recording';
    showRecording();
    ticker = setInterval(showRecording, 500);
    if (mode === 'tap') sendButton.focus();
  }

  /** Stops and hands the recording over (or says why not). */
  function finish(note) {
    if (state !== 'recording' || !recorder) return;
    const seconds = (performance.now() - startedAt) / 1000;
    const active = recorder;
    state = 'stopping';
    clearInterval(ticker);
    active.addEventListener('stop', () => {
      stopTracks();
      const type = uploadType(active.mimeType || chunks[0]?.type || '');
      const blob = new Blob(chunks, { type });
      reset();
      if (seconds < MIN_SECONDS || blob.size === 0) {
        say(strings().voiceTooShort);
        return;
      }
      // The message itself now shows in the conversation (and is read out there: role="log").
      say(note ?? '');
      onRecorded({ blob, type, seconds });
    }, { once: true });
    active.stop();
  }

  function cancel() {
    if (state === 'starting') {
      reset();
      say(strings().voiceCancelled);
      return;
    }
    if (state !== 'recording' || !recorder) return;
    const active = recorder;
    state = 'stopping';
    active.addEventListener('stop', () => {
      stopTracks();
      reset();
      say(strings().voiceCancelled);
    }, { once: true });
    active.stop();
  }

  button.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || state !== 'idle') return;
    // No focus shift, text selection or long-press menu while the finger is down.
    event.preventDefault();
    pressed = { id: event.pointerId, at: performance.now() };
    suppressClick = true;
    try { button.setPointerCapture(event.pointerId); } catch { /* the pointer is already gone */ }
    void begin('hold');
  });
  button.addEventListener('pointerup', (event) => {
    if (!pressed || event.pointerId !== pressed.id) return;
    const held = performance.now() - pressed.at;
    pressed = null;
    // The click that follows is this press's; if none follows (let go off the button), the next one counts.
    setTimeout(() => {
      suppressClick = false;
    }, 0);
    if (held < HOLD_MS || state !== 'recording') {
      // A tap (or a press that ended while the microphone was being asked for).
      if (state === 'starting' || state === 'recording') showTapControls();
      return;
    }
    const rect = button.getBoundingClientRect();
    const inside = event.clientX >= rect.left - 8 && event.clientX <= rect.right + 8 && event.clientY >= rect.top - 8 && event.clientY <= rect.bottom + 8;
    if (inside) finish();
    else cancel();
  });
  button.addEventListener('pointercancel', () => {
    if (!pressed) return;
    pressed = null;
    setTimeout(() => {
      suppressClick = false;
    }, 0);
    // The browser took the gesture (a scroll): nothing is lost, the recording waits for the buttons.
    if (state === 'starting' || state === 'recording') showTapControls();
  });
  button.addEventListener('contextmenu', (event) => event.preventDefault());
  // Keyboard (Enter, Space) and assistive technology: start; pressed again while recording: send.
  button.addEventListener('click', () => {
    if (suppressClick) {
      suppressClick = false;
      return;
    }
    if (state === 'idle') void begin('tap');
    else if (state === 'recording') finish();
  });
  sendButton.addEventListener('click', () => finish());
  cancelButton.addEventListener('click', () => {
    cancel();
    button.focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && (state === 'recording' || state === 'starting')) cancel();
  });

  return {
    /** Repaints the status line in the current language. */
    repaint() {
      if (state === 'recording') showRecording();
    },
    /** Drops a recording in progress ("Percakapan baru"). */
    cancel,
    get recording() {
      return state !== 'idle';
    },
  };
}
