// Embeddable SAPA chat for the office website:
//   <script src="https://SAPA-HOST/widget.js" async></script>
// Adds a round button that opens the chat page in a panel (an iframe of this server).
(function () {
  if (window.__sapaWidget) return;
  window.__sapaWidget = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : '';
  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Buka obrolan layanan paspor');
  button.textContent = 'Tanya Paspor';
  button.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#123f7a;color:#fff;border:0;border-radius:28px;padding:14px 18px;font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer';
  var frame = null;
  button.addEventListener('click', function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = origin + '/';
      frame.title = 'SAPA - layanan paspor Kantor Imigrasi Kupang';
      frame.style.cssText = 'position:fixed;right:16px;bottom:80px;z-index:2147483000;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 110px));border:1px solid #c5ced9;border-radius:12px;background:#fff;box-shadow:0 8px 28px rgba(0,0,0,.25)';
      document.body.appendChild(frame);
      return;
    }
    frame.style.display = frame.style.display === 'none' ? 'block' : 'none';
  });
  document.body.appendChild(button);
})();
