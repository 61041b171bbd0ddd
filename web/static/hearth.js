document.body.className += " js-enabled govuk-frontend-supported"; if (window.GOVUKFrontend) { window.GOVUKFrontend.initAll(); }

// Wide tables scroll inside their own box at narrow widths (WCAG 1.4.10
// reflow at 320 px), instead of the whole page scrolling sideways. The box
// can take focus, so it scrolls from the keyboard, and is named after the table.
(function () {
  Array.prototype.forEach.call(document.querySelectorAll("table.govuk-table"), function (t, i) {
    if (t.parentNode.classList && t.parentNode.classList.contains("hearth-scroll")) { return; }
    var box = document.createElement("div");
    box.className = "hearth-scroll";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    var cap = t.querySelector("caption");
    var name = cap ? cap.textContent.trim() : "";
    if (!name) {
      var h = t.previousElementSibling;
      while (h && !/^H[1-6]$/.test(h.tagName)) { h = h.previousElementSibling; }
      name = h ? h.textContent.trim() : "Table " + (i + 1);
    }
    box.setAttribute("aria-label", name + " (scrolls sideways)");
    t.parentNode.insertBefore(box, t);
    box.appendChild(t);
  });
})();

// The warning before an idle session ends (GOV.UK "warn before timeout",
// WCAG 2.2.1): a modal dialog two minutes before the idle limit, with "Stay
// signed in"; when the session has ended, a "Sign in again" link back to this
// page. The timer restarts whenever the server is heard from (autosave too).
(function () {
  var idle = parseInt(document.body.getAttribute("data-session-idle") || "0", 10);
  var dialog = document.getElementById("session-dialog");
  if (!idle || !dialog || !dialog.showModal) { return; }
  var warning = document.getElementById("session-warning"), ended = document.getElementById("session-ended");
  var stay = document.getElementById("session-stay"), signin = document.getElementById("session-signin");
  var warnTimer, endTimer, over = false;
  function open(labelledBy) {
    dialog.setAttribute("aria-labelledby", labelledBy);
    dialog.setAttribute("aria-describedby", labelledBy === "session-dialog-title" ? "session-dialog-text" : "session-ended-text");
    if (!dialog.open) { dialog.showModal(); }
  }
  function warn() {
    if (over) { return; }
    warning.hidden = false; ended.hidden = true;
    open("session-dialog-title");
    stay.focus();
  }
  function end() {
    over = true;
    clearTimeout(warnTimer); clearTimeout(endTimer);
    signin.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search);
    warning.hidden = true; ended.hidden = false;
    open("session-ended-title");
    signin.focus();
  }
  function heard() {
    if (over) { return; }
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, idle - 120) * 1000);
    endTimer = setTimeout(end, idle * 1000);
  }
  stay.addEventListener("click", function () {
    fetch("/session/keepalive", { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) {
        if (res.status === 200) { dialog.close(); heard(); } else { end(); }
      })
      .catch(function () { dialog.close(); heard(); }); // no connection: the next autosave or page will tell
  });
  dialog.addEventListener("cancel", function (e) { if (over) { e.preventDefault(); } }); // Escape does not hide "signed out"
  window.hearthSession = { heard: heard, warn: warn, end: end };
  heard();
})();

// Draft assessments save themselves from the first change: on a new
// assessment the first save creates the draft, and the page becomes the
// draft's. Then every 20 seconds after a change, and when the page is hidden.
// A copy is kept in this browser (localStorage, keyed by the signed-in user
// and the draft, dropped once the server has it and after 12 hours) so that
// an ended session, a lost connection or a closed tab never loses typed work:
// signing in again puts it back and saves it.
(function () {
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData || !window.localStorage) { return; }
  var user = document.body.getAttribute("data-user") || "";
  var draft = form.getAttribute("data-autosave"); // an assessment id, or "new-<child id>"
  var key = "hearth-draft-" + user + "-" + draft;
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var dirty = false, busy = false, stopped = false, soon = null;
  var maxAge = 12 * 3600 * 1000;

  function say(text, problem) {
    status.textContent = text;
    status.className = "govuk-body-s hearth-autosave" + (problem ? " hearth-autosave--problem" : "");
  }
  function snapshot() {
    var out = {};
    new FormData(form).forEach(function (v, k) { if (k !== "version" && k !== "action") { out[k] = v; } });
    return out;
  }
  function keep() {
    try { localStorage.setItem(key, JSON.stringify({ version: version.value, at: Date.now(), fields: snapshot() })); } catch (e) { /* storage full or off */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) {} }
  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.version !== version.value || !(Date.now() - saved.at < maxAge)) { forget(); return; }
    var now = snapshot(), differs = false;
    Object.keys(saved.fields).forEach(function (k) { if (now[k] !== saved.fields[k]) { differs = true; } });
    if (!differs) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in saved.fields)) { return; }
      if (el.type === "radio") { el.checked = saved.fields[el.name] === el.value; } else { el.value = saved.fields[el.name]; }
    });
    dirty = true;
    say("What you typed before you were signed out has been put back. It will be saved in a moment.");
    setTimeout(save, 500);
  }
  // created moves the page onto the draft the first save made.
  function created(j) {
    forget();
    draft = String(j.id); key = "hearth-draft-" + user + "-" + draft;
    form.setAttribute("data-autosave", draft);
    form.setAttribute("action", j.edit);
    if (window.history && history.replaceState) { history.replaceState(null, "", j.edit); }
  }
  function save() {
    clearTimeout(soon); soon = null;
    if (!dirty || busy || stopped) { return; }
    busy = true; dirty = false;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "autosave");
    fetch(form.getAttribute("action"), { // not form.action: the buttons are named "action"
      method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) {
        if (res.status === 200 || res.status === 201) {
          return res.json().then(function (j) {
            version.value = String(j.version);
            if (res.status === 201) { created(j); } else { forget(); }
            if (window.hearthSession) { window.hearthSession.heard(); }
            say("Draft saved at " + new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }) + ".");
            if (dirty) { keep(); }
          });
        }
        dirty = true; keep();
        if (res.status === 401) {
          stopped = true;
          say("Your session has ended. What you typed is kept in this browser: sign in again and it will be put back and saved.", true);
          if (window.hearthSession) { window.hearthSession.end(); }
        } else if (res.status === 409) { stopped = true; say("Someone else has saved this draft. Press Save draft to see both versions; nothing is lost.", true); }
        else if (res.status === 422) { say("Some answers need checking before the draft can be saved. Press Save draft to see them.", true); }
        else { say("The draft could not be saved just now (error " + res.status + "); it is kept in this browser and will be tried again.", true); }
      })
      .catch(function () { dirty = true; keep(); say("No connection. Your work is kept in this browser and will be saved when the connection returns.", true); })
      .then(function () { busy = false; });
  }
  function changed() {
    dirty = true; keep();
    // A new assessment becomes a draft at its first change, once typing pauses
    // for a second and a half; after that, saves come every 20 seconds.
    if (draft.indexOf("new-") === 0) { clearTimeout(soon); soon = setTimeout(save, 1500); }
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { stopped = true; keep(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(); } });
  setInterval(save, 20000);
  form.hearthSave = save; // lets the browser test save now rather than wait
  restore();
})();

// Signing out on purpose forgets every copy of typed work kept in this browser.
(function () {
  Array.prototype.forEach.call(document.querySelectorAll('form[action="/signout"]'), function (f) {
    f.addEventListener("submit", function () {
      try {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var k = localStorage.key(i);
          if (k && k.indexOf("hearth-draft-") === 0) { localStorage.removeItem(k); }
        }
      } catch (e) {}
    });
  });
})();

// An import's progress page asks the server for itself every two seconds and
// swaps in the new content while the import runs, instead of a <meta refresh>
// (WCAG 2.2.1: a page must not reload under the reader). Without JavaScript the
// page has a "Check progress" link.
(function () {
  var live = document.getElementById("import-live");
  if (!live || !window.fetch || !window.DOMParser) { return; }
  var url = live.getAttribute("data-poll");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (res) {
      if (res.status !== 200) { return null; } // signed out or gone: leave the link to follow
      return res.text();
    }).then(function (html) {
      if (!html) { return; }
      var next = new DOMParser().parseFromString(html, "text/html");
      var main = document.getElementById("main-content"), fresh = next.getElementById("main-content");
      if (!main || !fresh) { return; }
      if (next.getElementById("import-live")) {
        // Still running: update the progress line only, so the status is announced and focus stays put.
        document.getElementById("progress").textContent = next.getElementById("progress").textContent;
        setTimeout(poll, 2000);
      } else {
        main.innerHTML = fresh.innerHTML;
        document.title = next.title;
        var h = main.querySelector("h1");
        if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
      }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();

// The case form's list of children: with a script, a box that narrows the
// list as a name or reference is typed (ticked children always stay in
// view). Without one the whole list shows, which is why the box starts hidden.
(function () {
  var box = document.querySelector("[data-child-filter]");
  if (!box) { return; }
  box.hidden = false;
  var input = box.querySelector("input");
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    document.querySelectorAll("[data-child-label]").forEach(function (item) {
      var ticked = item.querySelector("input").checked;
      item.hidden = q !== "" && !ticked && item.getAttribute("data-child-label").toLowerCase().indexOf(q) < 0;
    });
  });
})();
