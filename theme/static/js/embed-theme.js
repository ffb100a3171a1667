// Inside an embed: the colours the embed code asks for. "?theme=light" or "?theme=dark" on
// the embed's address fixes them (the stylesheets read data-theme on the root element);
// "auto", nothing or anything else follows the reader's system. Deferred, as every script
// of ours is, so it never blocks the first render.
(function () {
  "use strict";
  var theme = new URLSearchParams(window.location.search).get("theme");
  if (theme !== "light" && theme !== "dark") return;
  document.documentElement.setAttribute("data-theme", theme);
  // Until the stylesheets load, the browser paints the page in the scheme this names.
  var scheme = document.querySelector('meta[name="color-scheme"]');
  if (scheme) scheme.setAttribute("content", theme);
})();
