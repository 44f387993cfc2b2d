// Embeddable SAPA chat for the office website:
//   <script src="https://SAPA-HOST/widget.js" async></script>
// Adds a "Tanya Paspor" button that opens the chat page in a panel (an iframe of this
// server). The button says whether the panel is open (aria-expanded); the panel has its
// own close button ("Tutup"), and Escape on the host page closes it too. The chat speaks
// the host page's language (<html lang="en"> or data-lang="en" on this script tag);
// on a small screen the panel takes the whole screen.
(function () {
  if (window.__sapaWidget) return;
  window.__sapaWidget = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : '';
  var asked = (script && script.getAttribute('data-lang')) || document.documentElement.lang || '';
  var language = asked.toLowerCase().indexOf('en') === 0 ? 'en' : 'id';
  var TEXT = {
    id: { open: 'Tanya Paspor', close: 'Tutup', panel: 'SAPA - layanan paspor Kantor Imigrasi Kupang' },
    en: { open: 'Ask about passports', close: 'Close', panel: 'SAPA - passport service of the Kupang Immigration Office' },
  }[language];
  var PANEL_ID = 'sapa-widget-panel';
  var small = window.matchMedia ? window.matchMedia('(max-width: 480px)') : null;

  var button = document.createElement('button');
  button.type = 'button';
  button.id = 'sapa-widget-launcher';
  // The visible text is the accessible name (no aria-label that says something else).
  button.textContent = TEXT.open;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', PANEL_ID);
  button.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000;min-height:48px;background:#123f7a;color:#fff;border:0;border-radius:28px;padding:12px 18px;font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer';

  var panel = null;
  var frame = null;

  function place() {
    if (!panel) return;
    var full = small && small.matches;
    panel.style.cssText = full
      ? 'position:fixed;inset:0;z-index:2147483001;display:flex;flex-direction:column;background:#fff'
      : 'position:fixed;right:16px;bottom:80px;z-index:2147483000;display:flex;flex-direction:column;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 110px));border:1px solid #8c98a8;border-radius:12px;overflow:hidden;background:#fff;box-shadow:0 8px 28px rgba(0,0,0,.25)';
    if (panel.hidden) panel.style.display = 'none';
  }

  function build() {
    panel = document.createElement('div');
    panel.id = PANEL_ID;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', TEXT.panel);
    var bar = document.createElement('div');
    bar.style.cssText = 'display:flex;justify-content:flex-end;background:#0d2f5c;padding:2px';
    var close = document.createElement('button');
    close.type = 'button';
    close.id = 'sapa-widget-close';
    close.textContent = TEXT.close;
    close.style.cssText = 'min-height:44px;min-width:44px;padding:4px 14px;background:transparent;color:#fff;border:1px solid rgba(255,255,255,.7);border-radius:22px;font:600 15px system-ui,sans-serif;cursor:pointer';
    close.addEventListener('click', function () { setOpen(false); });
    bar.appendChild(close);
    frame = document.createElement('iframe');
    frame.src = origin + '/?lang=' + language;
    frame.title = TEXT.panel;
    // "Rekam suara" in the chat needs the microphone, which a framed page gets only when allowed.
    frame.setAttribute('allow', 'microphone');
    frame.style.cssText = 'flex:1;width:100%;border:0;min-height:0';
    panel.appendChild(bar);
    panel.appendChild(frame);
    document.body.appendChild(panel);
    if (small && small.addEventListener) small.addEventListener('change', place);
  }

  function setOpen(open) {
    if (open && !panel) build();
    if (!panel) return;
    panel.hidden = !open;
    place();
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) frame.focus();
    else button.focus();
  }

  button.addEventListener('click', function () {
    setOpen(!panel || panel.hidden);
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && panel && !panel.hidden) setOpen(false);
  });
  document.body.appendChild(button);
})();
