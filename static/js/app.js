/* Yingzhi page helpers: navigation toggle, confirmations, and JSON calls with CSRF handling.
   Loaded on every page; no inline scripts anywhere (the CSP forbids them). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function setCsrfToken(token) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) meta.setAttribute("content", token);
    document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) { input.value = token; });
  }

  function refreshCsrfToken() {
    return fetch("/api/v1/csrf", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
      .then(function (body) { setCsrfToken(body.csrf_token); return body.csrf_token; });
  }

  /* fetch JSON with the CSRF header. A request refused for an expired token is retried once with a
     fresh token, so a page left open for hours still saves. Resolves {status, ok, body}. */
  function api(method, url, payload, retried) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 400 && body.error === "csrf_failed" && !retried) {
          return refreshCsrfToken().then(function () { return api(method, url, payload, true); });
        }
        return { status: response.status, ok: response.ok, body: body };
      });
    });
  }

  window.Yingzhi = { api: api, csrfToken: csrfToken, refreshCsrfToken: refreshCsrfToken };

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("sidenav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
