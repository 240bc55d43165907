// The portal's own small enhancements; htmx comes from django-htmx.

// --- Developer pages (connectors) ----------------------------------------------
(function () {
  "use strict";

  // Script textareas get a line-number gutter, Tab indents, and findings mark their lines.
  function enhanceCode(textarea) {
    if (textarea.dataset.enhanced) return;
    textarea.dataset.enhanced = "1";
    var wrap = document.createElement("div");
    wrap.className = "code-editor";
    var gutter = document.createElement("pre");
    gutter.className = "code-gutter";
    gutter.setAttribute("aria-hidden", "true");
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(gutter);
    wrap.appendChild(textarea);
    var count = -1;
    function render() {
      var lines = textarea.value.split("\n").length;
      if (lines === count) return;
      count = lines;
      var html = "";
      for (var i = 1; i <= lines; i++) html += "<span data-line=\"" + i + "\">" + i + "</span>";
      gutter.innerHTML = html;
      markFindings();
    }
    textarea.addEventListener("input", render);
    textarea.addEventListener("scroll", function () { gutter.scrollTop = textarea.scrollTop; });
    textarea.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      textarea.setRangeText("  ", start, end, "end");
      render();
    });
    new ResizeObserver(function () { gutter.style.height = textarea.offsetHeight + "px"; }).observe(textarea);
    render();
  }

  // The textarea holding `file`: a main script, or a discovery parameter's script.
  function textareaFor(file) {
    var holder = document.querySelector("[data-file=\"" + CSS.escape(file) + "\"] textarea");
    if (holder) return holder;
    var inputs = document.querySelectorAll("input[name$='-discovery_script']");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === file) return inputs[i].closest(".parameter-row").querySelector("textarea.code-input");
    }
    return null;
  }

  // Under each script: its findings (Check now's and the last review's) in line order,
  // each a button to its line, with the hint. Built from the finding lists on the page.
  function notesFor(area) {
    var wrap = area.closest(".code-editor"), notes = wrap.nextElementSibling;
    if (!notes || !notes.classList.contains("code-notes")) {
      notes = document.createElement("ul");
      notes.className = "code-notes list-unstyled small mb-0";
      notes.setAttribute("aria-label", "Findings in this script");
      wrap.parentNode.insertBefore(notes, wrap.nextSibling);
    }
    return notes;
  }

  function noteItem(item, file, line) {
    var li = document.createElement("li");
    li.className = "code-note code-note-" + (item.dataset.severity === "error" ? "error" : "warning");
    li.dataset.line = line;
    var go = document.createElement("button");
    go.type = "button";
    go.className = "goto-line btn btn-link btn-sm p-0 align-baseline";
    go.dataset.gotoFile = file;
    go.dataset.gotoLine = line;
    go.textContent = "Line " + line;
    var message = item.querySelector("div");
    var text = document.createElement("span");
    text.textContent = " " + (item.dataset.severity || "") + ": " + (message ? message.textContent.trim() : "");
    li.appendChild(go);
    li.appendChild(text);
    if (item.dataset.findingHint) {
      var hint = document.createElement("div");
      hint.className = "text-body-secondary";
      hint.textContent = item.dataset.findingHint;
      li.appendChild(hint);
    }
    return li;
  }

  function markFindings() {
    document.querySelectorAll(".code-gutter span.has-error, .code-gutter span.has-warning").forEach(function (s) {
      s.classList.remove("has-error", "has-warning");
      s.removeAttribute("title");
    });
    document.querySelectorAll(".code-notes").forEach(function (notes) { notes.replaceChildren(); });
    var seen = {};
    document.querySelectorAll("[data-finding-line]").forEach(function (item) {
      var line = item.dataset.findingLine, file = item.dataset.findingFile, area = file && textareaFor(file);
      if (!line || !area || !area.dataset.enhanced) return;  // the next enhanceCode marks it
      var mark = area.parentNode.querySelector(".code-gutter span[data-line=\"" + line + "\"]");
      var message = item.querySelector("div"), hint = item.dataset.findingHint;
      var text = (message ? message.textContent.trim() : "") + (hint ? " (" + hint + ")" : "");
      if (mark) {
        if (!mark.classList.contains("has-error")) mark.classList.add(item.dataset.severity === "error" ? "has-error" : "has-warning");
        mark.title = (mark.title ? mark.title + "\n" : "") + text;
      }
      // The same finding from Check now and from the review is listed once.
      var key = file + ":" + line + ":" + (item.dataset.findingRule || "") + ":" + text;
      if (seen[key]) return;
      seen[key] = true;
      var notes = notesFor(area), li = noteItem(item, file, line), after = null;
      notes.querySelectorAll("li").forEach(function (other) {
        if (!after && parseInt(other.dataset.line, 10) > parseInt(line, 10)) after = other;
      });
      notes.insertBefore(li, after);
    });
  }

  function gotoLine(file, line, column) {
    var area = textareaFor(file);
    if (!area) return false;
    var lines = area.value.split("\n"), offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    var lineText = lines[line - 1] || "";
    area.focus();
    area.setSelectionRange(offset + Math.min(Math.max(column - 1, 0), lineText.length), offset + lineText.length);
    var lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (line - 5) * lineHeight);
    area.closest(".code-editor").scrollIntoView({ block: "center" });
    return true;
  }

  // Formsets: "Add" clones the empty form; rows show only the fields of their type.
  function enhanceFormset(box) {
    var add = box.querySelector(".formset-add"), template = box.querySelector("template.formset-empty");
    var total = box.querySelector("input[name$='-TOTAL_FORMS']");
    if (!add || !template || !total || box.dataset.enhanced) return;
    box.dataset.enhanced = "1";
    add.classList.remove("d-none");
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      box.querySelector(".formset-rows").appendChild(row);
      total.value = String(index + 1);
      enhance(row);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  // The Samples box's template (issue 20): fill an empty box; the format's link opens its details.
  document.addEventListener("click", function (event) {
    var use = event.target.closest && event.target.closest("[data-use-samples-template]");
    if (use) {
      var box = document.querySelector("textarea[name='samples']");
      var template = document.querySelector("[data-samples-template]:not([hidden])");
      if (box && template && !box.value.trim()) {
        box.value = template.textContent;
        box.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (box) box.focus();
      return;
    }
    var open = event.target.closest && event.target.closest("[data-open-details]");
    if (open) {
      var details = document.querySelector(open.getAttribute("href"));
      if (details) details.open = true;
    }
  });

  function syncPanels(root) {
    var method = document.querySelector("select[name='auth_method']");
    if (method) {
      document.querySelectorAll(".auth-panel").forEach(function (panel) {
        panel.hidden = panel.dataset.authMethod !== method.value;
      });
    }
    (root || document).querySelectorAll(".parameter-row").forEach(function (row) {
      var type = row.querySelector("select.parameter-type");
      if (!type) return;
      row.querySelectorAll(".param-panel").forEach(function (panel) {
        panel.hidden = panel.dataset.paramType !== type.value;
      });
    });
  }

  function enhance(root) {
    root.querySelectorAll("textarea.code-input").forEach(enhanceCode);
    root.querySelectorAll(".formset").forEach(enhanceFormset);
    syncPanels(root.closest ? document : root);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name='auth_method'], select.parameter-type")) syncPanels(document);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".goto-line");
    if (!link) return;
    if (gotoLine(link.dataset.gotoFile, parseInt(link.dataset.gotoLine, 10), parseInt(link.dataset.gotoColumn || "1", 10))) {
      event.preventDefault();
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "check-now") {
      markFindings();
      warnAfterFailedCheck();
    }
  });
  // Submit after a failed Check now on this page: the dialog says the review will fail too (issue 20).
  function warnAfterFailedCheck() {
    var result = document.querySelector("#check-now .check-results[data-verdict]");
    var warning = document.querySelector("#submission-modal [data-testid='check-failed-warning']");
    if (!result || !warning) return;
    warning.hidden = !(result.dataset.verdict === "fail" && !result.hasAttribute("data-stale"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    markFindings();
    // A link like /develop/3/?goto=processdata.js:12 (a finding's line in View Code)
    // lands on that line of the script.
    var target = new URLSearchParams(location.search).get("goto");
    var match = target && /^(.+):(\d+)$/.exec(target);
    if (match && gotoLine(match[1], parseInt(match[2], 10), 1)) return;
    // A refused save: the first error may be far below the banner, so land on it (issue 20).
    var firstError = document.querySelector("#connector-form[data-unsaved] .is-invalid, #connector-form[data-unsaved] .alert-danger, #connector-form[data-unsaved] .errorlist");
    if (firstError) {
      var box = firstError.closest("[id^='field-'], [id^='icons'], .formset-row, .alert-danger") || firstError;
      var input = firstError.matches("input, select, textarea") ? firstError : box.querySelector("input:not([type=hidden]), select, textarea");
      box.scrollIntoView({ block: "center" });
      if (input && !input.disabled) input.focus({ preventScroll: true });
      return;
    }
    // A link like /develop/3/#field-hosts (from the missing-parts list) lands on the field, visible.
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) {
        var field = target.querySelector("input:not([type=hidden]), select, textarea");
        target.scrollIntoView({ block: "center" });
        if (field && !field.disabled) field.focus({ preventScroll: true });
      }
    }
  });
})();

// --- Editor: nothing typed is lost -------------------------------------------------
// The form remembers what it held when the page loaded; while it holds something else,
// leaving the page asks first, and Check now / Submit (which use the saved draft) offer
// to save before they go on.
(function () {
  "use strict";

  // The editor loads Check now's last result on arrival (#check-now, hx-trigger="load");
  // a Check now started before that answer lands would be overwritten by it.
  var checkNowLoaded = false;
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "check-now") checkNowLoaded = true;
  });
  function afterCheckNowLoads(fn) {
    var box = document.getElementById("check-now");
    if (checkNowLoaded || !box || box.getAttribute("hx-trigger") !== "load") { fn(); return; }
    var done = false;
    function once() {
      if (done) return;
      done = true;
      box.removeEventListener("htmx:afterSettle", once);
      fn();
    }
    box.addEventListener("htmx:afterSettle", once);
    setTimeout(once, 3000);  // that answer failed or never came: go on anyway
  }

  function snapshot(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.hasAttribute("data-then")) return;
      if (el.type === "checkbox" || el.type === "radio") parts.push(el.name + "=" + el.checked);
      else if (el.type === "file") parts.push(el.name + "=" + el.files.length);
      else parts.push(el.name + "=" + el.value);
    });
    return parts.join("\u0000");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-track-changes]");
    if (!form) return;
    var saved = snapshot(form), leaving = false, pending = null, lastTrigger = null;
    var state = document.querySelector("[data-save-state]");
    var savedText = state ? state.textContent : "";
    var dialogEl = document.getElementById("unsaved-modal");

    function dirty() { return form.hasAttribute("data-unsaved") || snapshot(form) !== saved; }
    function show() {
      var isDirty = dirty();
      form.classList.toggle("is-dirty", isDirty);
      if (state) {
        state.textContent = isDirty ? "Unsaved changes: Save them before Check now or Submit." : savedText;
        state.classList.toggle("text-warning-emphasis", isDirty);
        state.classList.toggle("fw-semibold", isDirty);
      }
    }
    form.addEventListener("input", show);
    form.addEventListener("change", show);
    form.addEventListener("click", function () { setTimeout(show, 0); });  // formset "Add"
    form.addEventListener("submit", function () { leaving = true; });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !dirty()) return;
      event.preventDefault();
      event.returnValue = "";  // Chrome needs it set to show its "Leave site?" dialog
    });

    // Capture phase on window: runs before Bootstrap's delegated modal toggle (itself a
    // capture listener on document) and before htmx's form trigger.
    window.addEventListener("click", function (event) {
      var trigger = event.target.closest("[data-needs-saved]");
      if (!trigger || !dirty() || !dialogEl) return;
      event.preventDefault();
      event.stopPropagation();
      pending = trigger.getAttribute("data-needs-saved");
      lastTrigger = trigger;
      dialogEl.querySelector("[data-unsaved-action]").textContent = pending === "check" ? "Check now uses" : "Submit uses";
      bootstrap.Modal.getOrCreateInstance(dialogEl).show();
    }, true);
    if (dialogEl) {
      // Opened from script, so Bootstrap does not know where focus came from: give it back
      // to the button that was pressed (Cancel, Escape), never to <body>.
      dialogEl.addEventListener("hidden.bs.modal", function () { if (lastTrigger && !leaving) lastTrigger.focus(); });
      dialogEl.querySelector("[data-unsaved-save]").addEventListener("click", function () {
        form.removeAttribute("data-unsaved");
        form.querySelector("[data-then]").value = pending;
        leaving = true;
        form.requestSubmit();
      });
      dialogEl.querySelector("[data-unsaved-discard]").addEventListener("click", function () {
        leaving = true;
        var url = new URL(location.href);
        url.hash = "";
        url.searchParams.set("then", pending);
        location.assign(url.toString());
      });
    }
    show();

    // Arriving with ?then=check|submit (after "Save and continue"): carry on with it.
    var params = new URLSearchParams(location.search), then = params.get("then");
    if (then === "check" || then === "submit") {
      params.delete("then");
      history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : "") + location.hash);
      var next = document.querySelector("[data-needs-saved='" + then + "']");
      if (next && !dirty()) afterCheckNowLoads(function () { next.click(); });
    }
  });
})();

// --- Submission pages -----------------------------------------------------------
(function () {
  "use strict";

  // Copy buttons: <button data-copy-target="#id">. Falls back to selecting the text.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy-target"));
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); }
    else { if (field.select) field.select(); try { document.execCommand("copy"); done(); } catch (e) {} }
  });

  // A dialog the server asks to show on arrival (the beta's private URL after Self Publish).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".modal[data-open-on-load]").forEach(function (el) {
      // Opened by no button, so Bootstrap has nowhere to return focus: without this a
      // keyboard user lands on <body>. The page's heading is where reading goes on.
      el.addEventListener("hidden.bs.modal", function () {
        var back = document.querySelector(el.getAttribute("data-focus-after") || "main h1");
        if (!back) return;
        if (!back.matches("a, button, input, select, textarea, [tabindex]")) back.setAttribute("tabindex", "-1");
        back.focus();
      });
      bootstrap.Modal.getOrCreateInstance(el).show();
    });
  });

  // Read-only fields whose text is meant to be copied select themselves (the new API token).
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();

// --- Bundle upload: a folder as well as a zip -----------------------------------
// Django keeps only the last part of an uploaded file's name, so the paths go beside the files
// (`paths`: JSON, in their order, less the folder's own name, which goes in `folder_name`); the
// server checks them. Without JavaScript the folder choice stays hidden; the zip still works.
(function () {
  "use strict";
  function setHidden(form, name, value) {
    var input = form.querySelector("input[type=hidden][name=\"" + name + "\"]");
    if (!input) input = form.appendChild(Object.assign(document.createElement("input"), {type: "hidden", name: name}));
    input.value = value;
  }

  function enhanceFolder(folder) {
    var form = folder.form, zip = form.querySelector("input[type=file][name=bundle]");
    folder.closest("[data-folder-choice]").hidden = false;
    // The server takes one or the other, so choosing one clears the other.
    folder.addEventListener("change", function () { folder.setCustomValidity(""); if (folder.files.length) zip.value = ""; });
    zip.addEventListener("change", function () { if (zip.files.length) folder.value = ""; });
    form.addEventListener("submit", function (event) {
      var files = folder.files, paths = [], top = "";
      if (files.length > parseInt(folder.dataset.maxFiles, 10)) {  // Django would refuse them unexplained
        event.preventDefault();
        folder.setCustomValidity("This folder holds " + files.length + " files; a bundle may have at most " +
                                 folder.dataset.bundleFiles + ". Choose the connector's own folder.");
        folder.reportValidity();
        return;
      }
      for (var i = 0; i < files.length; i++) {
        var path = files[i].webkitRelativePath || files[i].name, slash = path.indexOf("/");
        if (slash > 0) top = path.slice(0, slash);
        paths.push(slash >= 0 ? path.slice(slash + 1) : path);
      }
      setHidden(form, "paths", files.length ? JSON.stringify(paths) : "");
      setHidden(form, "folder_name", top);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-bundle-folder]").forEach(enhanceFolder);
  });
})();

// --- htmx errors: said where the user acted -----------------------------------------
// htmx 2 swaps nothing for a 4xx/5xx answer (htmx.config.responseHandling), so a refused
// Check now or a failing poll left the page as it was, and the user saw nothing. Every
// such answer, and a request that never reached the portal, is shown in an alert just
// before the part the request was for (its target); the next good answer to the same
// request (the same poll, another Check now) removes it.
// The server answers htmx requests with a short message (portal/htmx_errors.py); an HTML
// part's own alert or status line is shown as it is.
(function () {
  "use strict";

  var LONGEST = 400;

  function messageOf(xhr) {
    var type = (xhr.getResponseHeader("Content-Type") || "").toLowerCase();
    var text = "";
    if (type.indexOf("text/plain") === 0) {
      text = xhr.responseText || "";
    } else if (type.indexOf("text/html") === 0 && xhr.responseText) {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var said = doc.querySelector("main [role=alert], main [role=status], [role=alert], [role=status]");
      if (!said) said = doc.querySelector("main h1, h1");
      text = said ? said.textContent : "";
    }
    text = text.replace(/\s+/g, " ").trim();
    if (text.length > LONGEST) text = text.slice(0, LONGEST - 1) + "…";
    return text || "The portal refused this (error " + xhr.status + "). Reload the page and try again.";
  }

  // The alert sits just before the request's target, where its answer would have shown.
  // A poll swaps its own element out (outerHTML): the new one has the same id.
  function anchorOf(detail) {
    var target = detail.target || detail.elt;
    if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
    return target;
  }

  function alertBefore(anchor) {
    var previous = anchor && anchor.previousElementSibling;
    return previous && previous.classList.contains("htmx-error") ? previous : null;
  }

  // Which request failed: a poll of the same part succeeding says nothing about a refused Check now.
  function requestOf(detail) {
    var config = detail.requestConfig || {};
    return (config.verb || "") + " " + ((detail.pathInfo && detail.pathInfo.requestPath) || config.path || "");
  }

  function show(detail, message) {
    var anchor = anchorOf(detail);
    if (!anchor || !anchor.parentNode) return;
    var box = alertBefore(anchor);
    if (!box) {
      box = document.createElement("div");
      box.className = "htmx-error alert alert-danger d-flex align-items-start gap-2";
      box.setAttribute("role", "alert");
      box.setAttribute("data-testid", "htmx-error");
      var text = document.createElement("div");
      text.className = "flex-grow-1";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close";
      close.setAttribute("aria-label", "Close");
      close.addEventListener("click", function () { box.remove(); });
      box.appendChild(text);
      box.appendChild(close);
      anchor.parentNode.insertBefore(box, anchor);
    }
    box.setAttribute("data-request", requestOf(detail));
    // The same message again (a poll failing each second) is not announced again.
    var holder = box.firstChild;
    if (holder.textContent !== message) holder.textContent = message;
  }

  document.addEventListener("htmx:responseError", function (event) {
    // Signed out (portal/htmx_login.py): htmx is already taking the whole page to sign-in.
    if (event.detail.xhr.getResponseHeader("HX-Redirect")) return;
    show(event.detail, messageOf(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail, "The portal could not be reached. Check your connection, then try again.");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    var box = alertBefore(anchorOf(event.detail));
    if (box && box.getAttribute("data-request") === requestOf(event.detail)) box.remove();
  });
})();
