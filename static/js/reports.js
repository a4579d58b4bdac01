/* Sortable report tables: a click on a column header sorts the body rows by that column
   (numbers by their data-value, text by the cell text); a second click reverses. Rows without a
   figure (—) go last either way, in the order they had. */
(function () {
  "use strict";
  function key(cell, numeric) {
    if (numeric) {
      var v = cell.getAttribute("data-value");
      return v === "" || v === null ? null : parseFloat(v);
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
          if (x === null || y === null) { return (x === null) - (y === null); }
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

/* The board's column chooser: the page marks the columns beyond the default set col-hidden; a
   supervisor's choice of columns is kept in localStorage and applied on every board. */
(function () {
  "use strict";
  var STORE = "yingzhi.board.columns";
  document.querySelectorAll("details[data-columns-for]").forEach(function (chooser) {
    var table = document.querySelector("table[data-columns='" + chooser.getAttribute("data-columns-for") + "']");
    if (!table) { return; }
    var boxes = Array.prototype.slice.call(chooser.querySelectorAll("input[type=checkbox]"));
    var count = chooser.querySelector("[data-columns-count]");
    function apply(keys) {
      boxes.forEach(function (box) { box.checked = keys.indexOf(box.value) >= 0; });
      table.querySelectorAll("[data-col]").forEach(function (cell) {
        cell.classList.toggle("col-hidden", keys.indexOf(cell.getAttribute("data-col")) < 0);
      });
      if (count) { count.textContent = "(" + keys.length + "/" + boxes.length + ")"; }
    }
    function chosen() { return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); }
    function defaults() { return boxes.filter(function (b) { return b.hasAttribute("data-default"); }).map(function (b) { return b.value; }); }
    function save(keys) { try { window.localStorage.setItem(STORE, JSON.stringify(keys)); } catch (e) { /* private mode */ } }
    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { kept = null; }
    var known = boxes.map(function (b) { return b.value; });
    apply(Array.isArray(kept) ? kept.filter(function (k) { return known.indexOf(k) >= 0; }) : defaults());
    chooser.hidden = false;
    boxes.forEach(function (box) {
      box.addEventListener("change", function () { var keys = chosen(); apply(keys); save(keys); });
    });
    chooser.querySelector("[data-columns-reset]").addEventListener("click", function () {
      try { window.localStorage.removeItem(STORE); } catch (e) { /* private mode */ }
      apply(defaults());
    });
  });
})();

/* A wide table's scroll hint: a table-wrap marked data-scroll-hint that scrolls sideways shows the
   hint just before it and fades its right edge until scrolled to the end (more-right). */
(function () {
  "use strict";
  document.querySelectorAll("[data-scroll-hint]").forEach(function (wrap) {
    var hint = wrap.previousElementSibling;
    function update() {
      var overflow = wrap.scrollWidth - wrap.clientWidth;
      if (hint && hint.classList.contains("scroll-hint")) { hint.hidden = !(overflow > 2); }
      wrap.classList.toggle("more-right", overflow - wrap.scrollLeft > 2);
    }
    wrap.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    var details = wrap.closest("details");
    if (details) { details.addEventListener("toggle", update); }
    update();
  });
})();
