/* Sortable report tables: a click on a column header sorts the body rows by that column
   (numbers by their data-value, text by the cell text); a second click reverses. */
(function () {
  "use strict";
  function key(cell, numeric) {
    if (numeric) {
      var v = cell.getAttribute("data-value");
      return v === "" || v === null ? -Infinity : parseFloat(v);
    }
    return cell.textContent.trim();
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      th.classList.add("sort-head");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var numeric = th.getAttribute("data-sort") === "num";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[index], numeric), y = key(b.cells[index], numeric);
          if (!numeric) { return ascending ? x.localeCompare(y, "zh") : y.localeCompare(x, "zh"); }
          return ascending ? x - y : y - x;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
})();
