document.body.className += " js-enabled govuk-frontend-supported"; if (window.GOVUKFrontend) { window.GOVUKFrontend.initAll(); }

// Draft assessments save themselves: every 20 seconds after a change, and when
// the page is hidden. A copy is kept in this tab (sessionStorage, gone when the tab closes, so
// evidence about a child is not left on a shared computer) until the server has
// it, so an expired session or a lost connection never loses typed work.
(function () {
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var key = "hearth-draft-" + form.getAttribute("data-autosave");
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var dirty = false, busy = false, stopped = false;

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
    try { sessionStorage.setItem(key, JSON.stringify({ version: version.value, fields: snapshot() })); } catch (e) { /* storage full or off */ }
  }
  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.version !== version.value) { try { sessionStorage.removeItem(key); } catch (e) {} return; }
    var now = snapshot(), differs = false;
    Object.keys(saved.fields).forEach(function (k) { if (now[k] !== saved.fields[k]) { differs = true; } });
    if (!differs) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in saved.fields)) { return; }
      if (el.type === "radio") { el.checked = saved.fields[el.name] === el.value; } else { el.value = saved.fields[el.name]; }
    });
    dirty = true;
    say("Unsaved changes from your last visit have been put back. They will be saved in a moment.");
  }
  function save() {
    if (!dirty || busy || stopped) { return; }
    busy = true; dirty = false;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "autosave");
    fetch(form.getAttribute("action"), { // not form.action: the buttons are named "action"
      method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) {
        if (res.status === 200) {
          return res.json().then(function (j) {
            version.value = String(j.version);
            try { sessionStorage.removeItem(key); } catch (e) {}
            say("Draft saved at " + new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }) + ".");
          });
        }
        dirty = true; keep();
        if (res.status === 401) { stopped = true; say("Your session has ended. Your work is still on this page: sign in again in a new tab, then come back here and press Save draft.", true); }
        else if (res.status === 409) { stopped = true; say("Someone else has saved this draft. Press Save draft to see both versions; nothing is lost.", true); }
        else if (res.status === 422) { say("Some answers need checking before the draft can be saved. Press Save draft to see them.", true); }
        else { say("The draft could not be saved just now (error " + res.status + "); it is kept in this tab and will be tried again.", true); }
      })
      .catch(function () { dirty = true; keep(); say("No connection. Your work is kept in this tab and will be saved when the connection returns.", true); })
      .then(function () { busy = false; });
  }
  form.addEventListener("input", function () { dirty = true; keep(); });
  form.addEventListener("change", function () { dirty = true; keep(); });
  form.addEventListener("submit", function () { stopped = true; });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(); } });
  setInterval(save, 20000);
  form.hearthSave = save; // lets the browser test save now rather than wait
  restore();
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
