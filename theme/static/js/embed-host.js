// Sizes embedded charts on the host page. Copy-paste beside the <iframe> of each chart:
// <script src="https://<our site>/embed.js" async></script>. A size message is accepted
// only from our own origin and only for the very iframe that sent it, so no other frame on
// the host page can resize anything. Works for any number of embeds on one page.
(function () {
  "use strict";
  if (window.__fgsEmbedHost) return; // the snippet may be pasted more than once
  window.__fgsEmbedHost = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src, location.href).origin : null;
  var MIN = 80;
  var MAX = 6000;

  window.addEventListener("message", function (event) {
    if (!origin || event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== "fgs:embed-size" || typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.querySelectorAll("iframe[data-fgs-embed]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(MAX, Math.max(MIN, Math.ceil(data.height))) + "px";
        return;
      }
    }
  });
})();
