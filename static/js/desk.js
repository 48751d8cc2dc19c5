// The desk queue: keyboard navigation, new arrivals marked, and no refresh while the worker is busy.
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var queue = document.getElementById("queue");
    if (!queue || event.detail.elt !== queue) return;
    var busy = queue.querySelector("input[type=checkbox]:checked") || queue.contains(document.activeElement);
    if (busy || document.hidden) event.preventDefault();
  });
  // New arrivals: the server sends every desk worker the same table, with each row's received time and
  // the moment the page or refresh was made; rows newer than the previous refresh are marked here.
  var previousShownAt = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "queue") {
      previousShownAt = Date.parse(event.detail.target.dataset.shownAt);
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var queue = document.getElementById("queue");
    if (!queue || previousShownAt === null || isNaN(previousShownAt)) return;
    queue.querySelectorAll("tr[data-received]").forEach(function (row) {
      if (Date.parse(row.dataset.received) > previousShownAt) row.classList.add("portal-new");
    });
    previousShownAt = null;
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
