// The desk queue: keyboard navigation, and no refresh while the worker is busy with a selection.
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var queue = document.getElementById("queue");
    if (!queue || event.detail.elt !== queue) return;
    var busy = queue.querySelector("input[type=checkbox]:checked") || queue.contains(document.activeElement);
    if (busy || document.hidden) event.preventDefault();
  });
  function links() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue a.portal-queue-link"));
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.closest("input, textarea, select") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "/") {
      var search = document.querySelector("input[name=q]");
      if (search) {
        var details = search.closest("details");
        if (details) details.open = true;
        search.focus();
        event.preventDefault();
      }
      return;
    }
    if (event.key !== "j" && event.key !== "k") return;
    var all = links();
    if (!all.length) return;
    var index = all.indexOf(document.activeElement);
    index = event.key === "j" ? Math.min(index + 1, all.length - 1) : Math.max(index - 1, 0);
    all[index].focus();
    event.preventDefault();
  });
})();
