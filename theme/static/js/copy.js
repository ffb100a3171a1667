// "Copy embed code": the clipboard where the browser allows it; otherwise the code is
// selected, ready for Ctrl+C / Cmd+C. Either way the reader is told what happened.
(function () {
  "use strict";
  function selectAll(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
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
})();
