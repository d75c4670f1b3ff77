// The console's only script (CSP: script-src 'self'): the hand-off alert and the copy buttons.
(function () {
  "use strict";

  // ---- hand-off alert: poll the queue, badge the unclaimed count, beep once per newly arrived conversation
  var body = document.body;
  var queueUrl = body.getAttribute("data-queue");
  var badge = document.getElementById("queue-badge");
  var baseTitle = document.title;
  var KNOWN = "console.queue.known";

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.1;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no sound device: the badge still shows */ }
  }

  function poll() {
    fetch(queueUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var known = JSON.parse(sessionStorage.getItem(KNOWN) || "null");
        var ids = data.conversations.map(function (c) { return c.sender_id; });
        var fresh = known === null ? [] : ids.filter(function (id) { return known.indexOf(id) < 0; });
        sessionStorage.setItem(KNOWN, JSON.stringify(ids));
        if (badge) {
          badge.hidden = data.unclaimed === 0;
          badge.textContent = data.unclaimed;
          badge.classList.toggle("new", fresh.length > 0);
        }
        document.title = (data.unclaimed ? "(" + data.unclaimed + ") " : "") + baseTitle;
        if (fresh.length) {
          beep();
          body.setAttribute("data-new-handoff", fresh.join(","));
          if (location.pathname === "/queue") { location.reload(); }
        }
      })
      .catch(function () { /* the console or Rasa is down: try again next time */ });
  }

  if (queueUrl) { poll(); setInterval(poll, 5000); }

  // ---- copy buttons: data-copy="<selector>" copies that element's text (a clause with its citation)
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () {
      var note = button.parentElement.querySelector(".copied");
      if (note) { note.hidden = false; setTimeout(function () { note.hidden = true; }, 2000); }
      button.setAttribute("data-copied", "1");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(source, text); done(); });
    } else { fallback(source, text); done(); }
  });

  function fallback(source, text) {
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }
})();
