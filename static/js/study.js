/* Study pages: check-in and session sign-in through the JSON API (the forms still post without
   JavaScript), and the host's projector page that refreshes the rotating sign-in code. */
(function () {
  "use strict";

  function showMessage(form, text) {
    var box = form.querySelector(".form-message");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  function submitThroughApi(form, method, payload) {
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    showMessage(form, "");
    return window.Yingzhi.api(method, form.getAttribute("data-api"), payload).then(function (result) {
      if (result.ok) {
        window.location.reload();
        return;
      }
      if (button) button.disabled = false;
      showMessage(form, (result.body && result.body.message) || String(result.status));
    }, function () {
      if (button) button.disabled = false;
      form.submit();  // network trouble: fall back to the plain form post
    });
  }

  function initCheckin(form) {
    var notes = form.querySelector("textarea[name=notes]");
    var counter = form.querySelector("[data-counter-for=notes]");
    function count() {
      if (counter && notes) counter.textContent = "(" + notes.value.replace(/\s+/g, "").length + ")";
    }
    if (notes) { notes.addEventListener("input", count); count(); }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var method = form.querySelector("input[name=method]:checked");
      var readings = Array.prototype.map.call(form.querySelectorAll("input[name=readings]:checked"), function (box) {
        return parseInt(box.value, 10);
      });
      submitThroughApi(form, "PUT", {
        minutes: parseInt(form.querySelector("input[name=minutes]").value, 10),
        method: method ? method.value : null,
        readings: readings,
        notes: notes ? notes.value : ""
      });
    });
  }

  function initSignin(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = form.querySelector("input[name=code]");
      var token = form.querySelector("input[name=token]");
      var payload = token && token.value ? { token: token.value } : { code: code ? code.value.trim() : "" };
      submitThroughApi(form, "POST", payload);
    });
  }

  function initProjector(root) {
    var url = root.getAttribute("data-code-url");
    var codeBox = root.querySelector("[data-code]");
    var secondsBox = root.querySelector("[data-seconds]");
    var progress = root.querySelector("[data-progress]");
    var closed = root.querySelector("[data-closed]");
    var qr = root.querySelector("[data-qr]");
    var left = 0;
    var sinceFetch = 0;

    function render(body) {
      var counts = body.counts || {};
      Object.keys(counts).forEach(function (key) {
        var box = root.querySelector('[data-count="' + key + '"]');
        if (box) box.textContent = counts[key];
      });
      closed.hidden = !!body.open;
      codeBox.hidden = !body.open;
      progress.hidden = !body.open;
      secondsBox.parentNode.hidden = !body.open;
      qr.hidden = !body.open;
      if (!body.open) { left = 10; return; }
      codeBox.textContent = body.code.slice(0, 3) + " " + body.code.slice(3);
      qr.src = body.qr;
      left = body.expires_in;
      progress.max = body.step;
      progress.value = left;
      secondsBox.textContent = left;
    }

    function fetchCode() {
      sinceFetch = 0;
      window.Yingzhi.api("GET", url).then(function (result) {
        if (result.ok) render(result.body);
        else left = 5;
      }, function () { left = 5; });
    }

    setInterval(function () {
      left -= 1;
      sinceFetch += 1;
      if (left <= 0 || sinceFetch >= 15) { fetchCode(); return; }
      secondsBox.textContent = left;
      progress.value = left;
    }, 1000);
    fetchCode();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var checkin = document.getElementById("checkin-form");
    if (checkin && checkin.getAttribute("data-api")) initCheckin(checkin);
    document.querySelectorAll("form.signin-form[data-api]").forEach(initSignin);
    var projector = document.querySelector(".projector[data-code-url]");
    if (projector) initProjector(projector);
  });
})();
