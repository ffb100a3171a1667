// Inside an embed: tell the host page how tall the chart is, whenever that changes (the
// host's column narrows, the live chart replaces the static one, fonts load).
(function () {
  "use strict";
  if (window.parent === window) return;
  var root = document.querySelector(".embed-main");
  if (!root) return;
  var last = 0;
  function report() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "fgs:embed-size", height: height }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(report).observe(root);
  window.addEventListener("load", report);
  report();
})();
