// The embed code on a chart page. "Copy" puts a code box on the clipboard where the browser
// allows it; otherwise the code is selected, ready for Ctrl+C / Cmd+C. Either way the reader
// is told what happened. The colour choice (hidden without script, since the page explains
// ?theme= in words) swaps in the code its template rendered and shows it in the preview.
(function () {
  "use strict";
  function selectAll(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }
  function statusOf(field) {
    var button = document.querySelector('[data-copy-target="' + field.id + '"]');
    return button ? button.parentNode.querySelector(".copy-status") : null;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!field) return;
    function selected() {
      selectAll(field);
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      if (status) status.textContent = copied ? "Copied." : "Selected: press Ctrl+C (Cmd+C on a Mac) to copy.";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        selectAll(field);
        if (status) status.textContent = "Copied.";
      }, selected);
    } else {
      selected();
    }
  });

  var choices = document.querySelectorAll("[data-embed-theme]");
  for (var i = 0; i < choices.length; i++) {
    (function (fieldset) {
      var field = document.getElementById(fieldset.getAttribute("data-embed-theme"));
      var preview = document.getElementById(fieldset.getAttribute("data-embed-preview"));
      if (!field) return;
      function apply() {
        var chosen = fieldset.querySelector("input:checked");
        if (!chosen) return;
        var code = chosen.getAttribute("data-code");
        if (field.value !== code) {
          field.value = code;
          var status = statusOf(field);
          if (status) status.textContent = "";
        }
        var src = chosen.getAttribute("data-src");
        if (preview && src && preview.getAttribute("src") !== src) preview.setAttribute("src", src);
      }
      fieldset.addEventListener("change", apply);
      fieldset.hidden = false;
      apply(); // a reload may bring back an earlier choice
    })(choices[i]);
  }
})();
