/* Question bank pages: "select all" for bulk actions, and the editor's live preview of how an
   officer will see the question. Everything the author typed is put in the page with textContent,
   never as HTML. The server checks the answer again on save; the preview only helps. */
(function () {
  "use strict";

  var BLANK = /_{3,}|（[\s\u3000]*）|\([\s\u3000]*\)/g;
  var LETTERS = "ABCDEFGH";
  var TRUE_WORDS = ["对", "正确", "√", "✓", "✔", "t", "true", "是", "1", "y", "yes"];
  var FALSE_WORDS = ["错", "错误", "×", "✗", "✘", "f", "false", "否", "0", "n", "no"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fold(text) {
    return (text || "").normalize("NFKC").trim().toLowerCase();
  }

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  /* ---- select all ------------------------------------------------------------------------ */
  function initCheckAll() {
    document.querySelectorAll("[data-check-all]").forEach(function (box) {
      var name = box.getAttribute("data-check-all");
      box.addEventListener("change", function () {
        box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (item) {
          item.checked = box.checked;
        });
      });
    });
  }

  /* ---- editor ---------------------------------------------------------------------------- */
  function parseLetters(text) {
    var folded = fold(text).replace(/[\s,，、;；\/|.。:：()（）\[\]【】]+/g, "").toUpperCase();
    if (!folded || !/^[A-Z]+$/.test(folded)) return null;
    return folded.split("").filter(function (l, i, all) { return all.indexOf(l) === i; }).sort();
  }

  function parseFill(text) {
    return (text || "").split(/[;；|]/).map(function (part) {
      return part.split("/").map(function (alt) { return alt.trim(); }).filter(Boolean);
    });
  }

  function initEditor(form) {
    var preview = document.getElementById("preview");
    var key = document.getElementById("preview-key");
    var hint = document.getElementById("answer-hint");
    var typeField = form.querySelector('[data-preview="type"]');
    var stemField = form.querySelector('[data-preview="stem"]');
    var answerField = form.querySelector('[data-preview="answer"]');
    var explanationField = form.querySelector('[data-preview="explanation"]');
    var optionFields = Array.prototype.slice.call(form.querySelectorAll('[data-preview="option"]'));
    var optionRows = Array.prototype.slice.call(form.querySelectorAll("[data-option-row]"));
    var optionSet = form.querySelector("[data-options]");
    var beyondMessage = preview.getAttribute("data-msg-beyond");

    function options() {
      var texts = optionFields.map(function (f) { return f.value.trim(); });
      while (texts.length && !texts[texts.length - 1]) texts.pop();
      return texts;
    }

    function layoutOptions(type) {
      var choice = type === "single" || type === "multiple";
      optionSet.hidden = !choice;
      var filled = options().length;
      optionRows.forEach(function (row, i) {
        row.hidden = choice && i > Math.max(filled, 3);  // the filled ones, one empty, at least A-D
      });
    }

    function renderStem(stem, type) {
      var p = el("p", "pq-stem");
      var last = 0, n = 0, match;
      if (type !== "fill") {  // brackets in a choice stem are where the answer goes, not a blank
        p.textContent = stem;
        return { node: p, blanks: 0 };
      }
      BLANK.lastIndex = 0;
      while ((match = BLANK.exec(stem)) !== null) {
        p.appendChild(document.createTextNode(stem.slice(last, match.index)));
        n += 1;
        p.appendChild(el("span", "pq-blank", String(n)));
        last = match.index + match[0].length;
      }
      p.appendChild(document.createTextNode(stem.slice(last)));
      return { node: p, blanks: n };
    }

    function choiceList(labels, inputType, correct) {
      var list = el("ul", "pq-options");
      labels.forEach(function (item) {
        var li = el("li", "pq-option" + (correct.indexOf(item.letter) >= 0 ? " correct" : ""));
        var input = el("input");
        input.type = inputType;
        input.name = "preview-choice";
        input.tabIndex = -1;
        li.appendChild(input);
        if (item.letter.length === 1) li.appendChild(el("span", "pq-letter", item.letter));
        li.appendChild(el("span", "pq-text", item.text));
        list.appendChild(li);
      });
      return list;
    }

    function render() {
      var type = typeField.value;
      var stem = stemField.value.trim();
      var opts = options();
      var answer = answerField.value;
      layoutOptions(type);
      if (hint) hint.textContent = hint.getAttribute("data-hint-" + type) || hint.textContent;

      preview.textContent = "";
      key.textContent = "";
      preview.appendChild(el("span", "badge info", preview.getAttribute("data-label-" + type)));
      if (!stem) {
        preview.appendChild(el("p", "muted", preview.getAttribute("data-empty")));
      } else {
        preview.appendChild(renderStem(stem, type).node);
      }

      var correct = [], keyText = "", problem = "";
      if (type === "single" || type === "multiple") {
        var letters = parseLetters(answer);
        if (letters) {
          var beyond = letters.filter(function (l) { return LETTERS.indexOf(l) >= opts.length; });
          if (beyond.length) {
            problem = format(beyondMessage, { letters: beyond.join(""), last: LETTERS.charAt(Math.max(opts.length - 1, 0)) });
          }
          correct = letters;
          keyText = letters.join("");
        }
        preview.appendChild(choiceList(opts.map(function (text, i) {
          return { letter: LETTERS.charAt(i), text: text || "…" };
        }), type === "single" ? "radio" : "checkbox", correct));
      } else if (type === "true_false") {
        var word = fold(answer);
        var value = TRUE_WORDS.indexOf(word) >= 0 ? "T" : FALSE_WORDS.indexOf(word) >= 0 ? "F" : "";
        correct = value ? [value] : [];
        keyText = value === "T" ? preview.getAttribute("data-true") : value === "F" ? preview.getAttribute("data-false") : "";
        preview.appendChild(choiceList([
          { letter: "T", text: preview.getAttribute("data-true") },
          { letter: "F", text: preview.getAttribute("data-false") }
        ], "radio", correct));
      } else {
        var blanks = Math.max(renderStem(stem, type).blanks, 1);
        var fields = el("div", "pq-fill");
        for (var i = 1; i <= blanks; i += 1) {
          var input = el("input");
          input.type = "text";
          input.tabIndex = -1;
          input.placeholder = format(preview.getAttribute("data-blank"), { n: i });
          fields.appendChild(input);
        }
        preview.appendChild(fields);
        keyText = answer.trim() ? parseFill(answer).map(function (alts, i) {
          return format(preview.getAttribute("data-blank"), { n: i + 1 }) + "：" + alts.join(" / ");
        }).join("；") : "";
      }

      optionRows.forEach(function (row, i) {
        row.classList.toggle("correct", (type === "single" || type === "multiple") && correct.indexOf(LETTERS.charAt(i)) >= 0);
      });
      var answerLine = el("p", "pq-key");
      answerLine.appendChild(el("strong", null, key.getAttribute("data-answer-label") + "："));
      answerLine.appendChild(document.createTextNode(keyText || "—"));
      key.appendChild(answerLine);
      if (problem) key.appendChild(el("p", "pq-problem", problem));
      if (explanationField && explanationField.value.trim()) {
        var explanation = el("p", "pq-explanation");
        explanation.appendChild(el("strong", null, key.getAttribute("data-explanation-label") + "："));
        explanation.appendChild(document.createTextNode(explanationField.value.trim()));
        key.appendChild(explanation);
      }
    }

    form.addEventListener("input", render);
    form.addEventListener("change", render);
    render();
  }

  document.addEventListener("DOMContentLoaded", function () {
    initCheckAll();
    var editor = document.getElementById("question-editor");
    if (editor) initEditor(editor);
  });
})();
