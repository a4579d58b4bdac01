/* The test page: start or resume the attempt through the JSON API, show one question at a time
   (or all), save each answer as it is given through a queue kept in localStorage (so a reload, a
   dropped network or an expired sign-in loses nothing), count down from the server's deadline and
   submit at zero. The page never holds an answer key: the API sends none before the exam closes. */
(function () {
  "use strict";

  var root = document.getElementById("quiz");
  if (!root) return;
  var api = window.Yingzhi.api;
  var LETTERS = "ABCDEFGH";
  var MODE_KEY = "yingzhi.quiz.mode";

  function t(name, values) {
    var text = root.getAttribute("data-t-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
    return text;
  }
  function $(selector) { return root.querySelector(selector); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  var attempt = null;      // the attempt state from the API
  var items = [];          // its items, kept current as answers are given
  var current = 0;         // index shown in one-at-a-time mode
  var mode = localStorage.getItem(MODE_KEY) === "all" ? "all" : "one";
  var deadline = 0;        // local ms timestamp of the server deadline
  var queue = {};          // item id -> {response, version}: answers not yet acknowledged
  var sending = false, retryDelay = 0, retryTimer = null, loginNeeded = false;
  var finished = false, submitting = false, autoSubmitted = false, hiddenAt = null;

  function queueKey() { return "yingzhi.quiz.queue." + attempt.id; }
  function storeQueue() {
    try { localStorage.setItem(queueKey(), JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
  }
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey()) || "{}") || {}; } catch (e) { return {}; }
  }
  function pending() { return Object.keys(queue).length; }

  function alertBox(message, kind) {
    var box = $("[data-alert]");
    box.textContent = "";
    if (!message) { box.hidden = true; return; }
    box.className = "quiz-alert " + (kind || "warn");
    box.appendChild(el("span", null, message));
    if (kind === "login") {
      var link = el("a", "btn small", t("sign-in"));
      link.href = root.getAttribute("data-login-url");
      link.target = "_blank";
      link.rel = "noopener";
      box.appendChild(link);
    }
    box.hidden = false;
  }

  function showStatus() {
    var status = $("[data-save-status]"), n = pending();
    status.className = "save-status";
    if (!attempt || finished) { status.textContent = ""; return; }
    if (!n) { status.textContent = t("saved"); status.classList.add("ok"); return; }
    if (!navigator.onLine) { status.textContent = t("offline", { n: n }); status.classList.add("bad"); return; }
    if (retryDelay) { status.textContent = t("retrying", { n: n }); status.classList.add("bad"); return; }
    status.textContent = t("saving");
  }

  /* ---- the save queue --------------------------------------------------------------------- */

  function enqueue(item, response) {
    item.response = response;
    var entry = queue[item.id];
    queue[item.id] = { response: response, version: entry ? entry.version : item.version };
    storeQueue();
    renderGrid();
    flush();
  }

  function scheduleRetry() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 1000, 30000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    showStatus();
  }

  function flush() {
    showStatus();
    if (sending || finished || loginNeeded || retryTimer) return Promise.resolve();
    var ids = Object.keys(queue);
    if (!ids.length) return Promise.resolve();
    var id = ids[0], entry = queue[id];
    sending = true;
    var url = root.getAttribute("data-attempt-api") + attempt.id + "/answers/" + id;
    return api("PUT", url, { response: entry.response, version: entry.version })
      .then(function (reply) {
        sending = false;
        var item = itemById(id);
        if (reply.ok) {
          retryDelay = 0;
          if (item) item.version = reply.body.version;
          if (queue[id] === entry) delete queue[id];
          else if (queue[id]) queue[id].version = reply.body.version; // changed again meanwhile
          storeQueue();
          return flush();
        }
        if (reply.status === 401) {
          loginNeeded = true;
          alertBox(t("login"), "login");
          showStatus();
          return null;
        }
        if (reply.status === 409 && reply.body.error === "stale_version") {
          delete queue[id];
          storeQueue();
          var latest = reply.body.item;
          if (item && latest) {
            item.response = latest.response;
            item.version = latest.version;
          }
          // The same answer already stored (its earlier reply was lost on the way): nothing to say.
          if (!latest || JSON.stringify(latest.response) !== JSON.stringify(entry.response)) alertBox(t("stale"));
          render();
          return flush();
        }
        if (reply.status === 409 || reply.status === 410) {
          queue = {};
          storeQueue();
          alertBox(reply.body.message || t(reply.status === 410 ? "too-late" : "finished"), "bad");
          return reply.status === 409 ? submit(true) : null;
        }
        if (reply.status === 400 && reply.body.error !== "csrf_failed") {
          delete queue[id]; // a response the server cannot accept: resending would not help
          storeQueue();
          alertBox(reply.body.message || t("error"), "bad");
          return flush();
        }
        scheduleRetry(); // 5xx, or a CSRF refresh that failed
        return null;
      }, function () { sending = false; scheduleRetry(); });
  }

  /* Wait until the queue is empty (or `ms` passed), for submitting. */
  function drain(ms) {
    var until = Date.now() + ms;
    return new Promise(function (resolve) {
      (function check() {
        if (!pending() || Date.now() > until || loginNeeded) return resolve();
        if (!retryTimer) flush();
        setTimeout(check, 250);
      })();
    });
  }

  window.addEventListener("online", function () { clearTimeout(retryTimer); retryTimer = null; retryDelay = 0; flush(); });
  window.addEventListener("offline", showStatus);
  window.addEventListener("focus", function () {
    if (loginNeeded) { loginNeeded = false; alertBox(""); flush(); } // signed in again in another tab
  });

  /* ---- rendering -------------------------------------------------------------------------- */

  function itemById(id) {
    for (var i = 0; i < items.length; i++) if (String(items[i].id) === String(id)) return items[i];
    return null;
  }
  function answered(item) {
    var r = item.response;
    if (r === null || r === undefined) return false;
    if (Array.isArray(r)) return r.some(function (v) { return String(v).trim() !== ""; });
    return true;
  }

  function choiceButton(item, value, label, text, type, checked) {
    var wrap = el("label", "option" + (checked ? " chosen" : ""));
    var input = el("input");
    input.type = type;
    input.name = "q" + item.id;
    input.value = value;
    input.checked = checked;
    wrap.appendChild(input);
    if (label) wrap.appendChild(el("span", "letter", label));
    wrap.appendChild(el("span", "text", text));
    input.addEventListener("change", function () {
      if (finished) return;
      var response;
      if (type === "radio") response = item.type === "true_false" ? value === "true" : value;
      else {
        response = [];
        wrap.parentNode.querySelectorAll("input:checked").forEach(function (box) { response.push(box.value); });
        response.sort();
        if (!response.length) response = null;
      }
      wrap.parentNode.querySelectorAll("label.option").forEach(function (l) {
        l.classList.toggle("chosen", l.querySelector("input").checked);
      });
      enqueue(item, response);
    });
    return wrap;
  }

  function questionCard(item) {
    var card = el("article", "card question");
    card.setAttribute("data-item", item.id);
    var head = el("div", "question-head");
    head.appendChild(el("span", "question-no", t("question", { n: item.position })));
    head.appendChild(el("span", "badge info", item.type_label));
    head.appendChild(el("span", "muted", t("points", { n: item.points })));
    card.appendChild(head);
    card.appendChild(el("p", "stem", item.stem));
    var options = el("div", "options");
    if (item.type === "single" || item.type === "multiple") {
      var chosen = item.response === null ? [] : [].concat(item.response);
      item.options.forEach(function (text, i) {
        var letter = LETTERS[i];
        options.appendChild(choiceButton(item, letter, letter, text, item.type === "single" ? "radio" : "checkbox",
          chosen.indexOf(letter) >= 0));
      });
    } else if (item.type === "true_false") {
      options.classList.add("two");
      options.appendChild(choiceButton(item, "true", "", t("true"), "radio", item.response === true));
      options.appendChild(choiceButton(item, "false", "", t("false"), "radio", item.response === false));
    } else {
      var timer = null;
      for (var b = 0; b < item.blanks; b++) {
        var field = el("label", "blank");
        field.appendChild(el("span", "muted", t("blank", { n: b + 1 })));
        var input = el("input");
        input.type = "text";
        input.maxLength = 200;
        input.autocomplete = "off";
        input.value = (item.response && item.response[b]) || "";
        field.appendChild(input);
        options.appendChild(field);
      }
      var collect = function () {
        var values = [];
        options.querySelectorAll("input").forEach(function (i) { values.push(i.value); });
        return values;
      };
      options.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { enqueue(item, collect()); }, 600);
      });
      options.addEventListener("change", function () { clearTimeout(timer); enqueue(item, collect()); });
    }
    card.appendChild(options);
    var mark = el("button", "btn small secondary mark" + (item.marked ? " on" : ""), item.marked ? t("marked") : t("mark"));
    mark.type = "button";
    mark.setAttribute("aria-pressed", item.marked ? "true" : "false");
    mark.addEventListener("click", function () {
      item.marked = !item.marked;
      render();
      api("PUT", root.getAttribute("data-attempt-api") + attempt.id + "/answers/" + item.id, { marked: item.marked });
    });
    card.appendChild(mark);
    return card;
  }

  function renderGrid() {
    var grid = $("[data-grid]");
    grid.textContent = "";
    var done = 0;
    items.forEach(function (item, index) {
      var box = el("button", "box", String(item.position));
      box.type = "button";
      if (answered(item)) { box.classList.add("answered"); done++; }
      if (item.marked) box.classList.add("marked");
      if (mode === "one" && index === current) box.classList.add("current");
      box.addEventListener("click", function () { go(index); });
      grid.appendChild(box);
    });
    $("[data-progress]").textContent = t("answered", { d: done, t: items.length });
  }

  function render() {
    var area = $("[data-questions]");
    area.textContent = "";
    (mode === "all" ? items : [items[current]]).forEach(function (item) { area.appendChild(questionCard(item)); });
    $("[data-mode]").textContent = mode === "all" ? t("one") : t("all");
    $("[data-prev]").disabled = mode === "one" && current === 0;
    $("[data-next]").disabled = mode === "one" && current === items.length - 1;
    root.classList.toggle("mode-all", mode === "all");
    renderGrid();
  }

  function go(index) {
    current = Math.max(0, Math.min(items.length - 1, index));
    if (mode === "all") {
      var card = root.querySelector('[data-item="' + items[current].id + '"]');
      if (card) card.scrollIntoView({ behavior: "smooth", block: "start" });
      renderGrid();
      return;
    }
    render();
    window.scrollTo(0, 0);
  }

  /* ---- clock, submit, result -------------------------------------------------------------- */

  function tick() {
    if (finished) return;
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var clockBox = $("[data-clock]");
    $("[data-countdown]").textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    clockBox.classList.toggle("low", left <= 300);
    if (left <= 0) {
      autoSubmitted = true;
      alertBox(t("time-up"), "warn");
      submit(true);
      return;
    }
    setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }

  function submit(auto) {
    if (finished || submitting) return Promise.resolve();
    if (!auto) {
      var missing = items.filter(function (i) { return !answered(i); }).length;
      if (!window.confirm(t("confirm", { n: missing }))) return Promise.resolve();
    }
    submitting = true;
    $("[data-submit]").disabled = true;
    $("[data-save-status]").textContent = t("submitting");
    return drain(auto ? 8000 : 15000).then(function () {
      return api("POST", root.getAttribute("data-attempt-api") + attempt.id + "/submit");
    }).then(function (reply) {
      submitting = false;
      if (reply.ok) return showResult(reply.body);
      $("[data-submit]").disabled = false;
      if (reply.status === 401) { loginNeeded = true; alertBox(t("login"), "login"); return null; }
      alertBox(t("submit-failed"), "bad");
      setTimeout(function () { submit(true); }, 5000);
      return null;
    }, function () {
      submitting = false;
      $("[data-submit]").disabled = false;
      alertBox(t("submit-failed"), "bad");
      setTimeout(function () { submit(true); }, 5000);
    });
  }

  function showResult(result) {
    finished = true;
    queue = {};
    try { localStorage.removeItem(queueKey()); } catch (e) { /* nothing stored */ }
    $("[data-body]").hidden = true;
    $("[data-bar]").hidden = true;
    $("[data-clock]").hidden = true;
    $("[data-save-status]").textContent = "";
    $("[data-save-status]").className = "save-status";
    if (!$("[data-alert]").classList.contains("bad")) alertBox("");
    var box = $("[data-result]");
    $("[data-score]").textContent = formatNumber(result.score);
    $("[data-max]").textContent = " / " + result.max_score;
    var verdict = $("[data-verdict]");
    verdict.textContent = result.passed ? t("passed") : t("failed");
    verdict.className = "badge big " + (result.passed ? "good" : "bad");
    $("[data-pass-mark]").textContent = t("pass-mark", { n: formatNumber(result.pass_mark) });
    // The page submitting itself at zero reaches the server a moment late: say what the officer saw happen.
    var reason = autoSubmitted ? t("auto-submitted") : result.finish_reason === "timed_out" ? t("timed-out") : "";
    $("[data-reason]").textContent = reason;
    $("[data-reason]").hidden = !reason;
    box.hidden = false;
    root.classList.add("done");
    window.scrollTo(0, 0);
  }

  function formatNumber(n) { return n === null || n === undefined ? "–" : String(Math.round(n * 10) / 10); }

  /* ---- start ------------------------------------------------------------------------------ */

  function begin(state) {
    attempt = state;
    items = state.items;
    deadline = Date.now() + state.seconds_left * 1000;
    if (state.finished) { showResult(state.result); return; }
    // Answers given on this device but not acknowledged (reload, offline, expired sign-in) win.
    queue = loadQueue();
    Object.keys(queue).forEach(function (id) {
      var item = itemById(id);
      if (item) item.response = queue[id].response; else delete queue[id];
    });
    var firstOpen = items.findIndex(function (i) { return !answered(i); });
    current = firstOpen < 0 ? 0 : firstOpen;
    $("[data-intro]").hidden = true;
    $("[data-body]").hidden = false;
    $("[data-bar]").hidden = false;
    $("[data-clock]").hidden = false;
    render();
    tick();
    flush();
  }

  function start() {
    var button = $("[data-start]");
    if (button) button.disabled = true;
    api("POST", root.getAttribute("data-start-url")).then(function (reply) {
      if (reply.ok) return begin(reply.body);
      if (button) button.disabled = false;
      if (reply.status === 401) { alertBox(t("login"), "login"); return null; }
      alertBox(reply.body.message || t("error"), "bad");
      return null;
    }, function () {
      if (button) button.disabled = false;
      alertBox(t("error"), "bad");
    });
  }

  var startButton = $("[data-start]");
  if (startButton) startButton.addEventListener("click", start);
  if (root.getAttribute("data-resume")) start();

  $("[data-mode]").addEventListener("click", function () {
    mode = mode === "all" ? "one" : "all";
    try { localStorage.setItem(MODE_KEY, mode); } catch (e) { /* not remembered */ }
    render();
  });
  $("[data-prev]").addEventListener("click", function () { go(current - 1); });
  $("[data-next]").addEventListener("click", function () { go(current + 1); });
  $("[data-show-panel]").addEventListener("click", function () {
    $("[data-panel]").scrollIntoView({ behavior: "smooth", block: "start" });
  });
  $("[data-submit]").addEventListener("click", function () { submit(false); });

  // Leaving the page (tab or app switch) is recorded for the supervisor; it blocks nothing.
  document.addEventListener("visibilitychange", function () {
    if (!attempt || finished) return;
    if (document.visibilityState === "hidden") { hiddenAt = Date.now(); return; }
    if (hiddenAt === null) return;
    var seconds = Math.round((Date.now() - hiddenAt) / 1000);
    hiddenAt = null;
    api("POST", root.getAttribute("data-attempt-api") + attempt.id + "/leave", { seconds: seconds })
      .catch(function () { /* best effort */ });
    flush();
  });
})();
