// Site search: filters window.CLOUD_BACKUP_SEARCH (assets/search-index.js) as you type.
// Works from file:// too: the index is a script, not a fetched JSON file.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.CLOUD_BACKUP_SEARCH || [];
  if (!input || !list) return;
  var script = document.querySelector('script[src$="assets/site.js"]');
  var base = script ? script.getAttribute("src").replace(/assets\/site\.js$/, "") : "";
  var active = -1;

  function score(entry, words) {
    var title = entry.title.toLowerCase();
    var keys = (entry.keys + " " + (entry.operationId || "")).toLowerCase();
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (entry.operationId && entry.operationId.toLowerCase() === w) total += 100;
      else if (keys.indexOf(w) >= 0) total += 10;
      else if (title.indexOf(w) >= 0) total += title.indexOf(w) === 0 ? 8 : 5;
      else return 0;
    }
    return total + (entry.operationId ? 1 : 0);
  }

  function render() {
    var q = input.value.trim().toLowerCase();
    list.innerHTML = "";
    active = -1;
    if (!q) { list.hidden = true; return; }
    var words = q.split(/\s+/);
    var hits = index
      .map(function (e) { return { e: e, s: score(e, words) }; })
      .filter(function (h) { return h.s > 0; })
      .sort(function (a, b) { return b.s - a.s; })
      .slice(0, 12);
    if (!hits.length) {
      var li = document.createElement("li");
      li.className = "empty";
      li.textContent = "Nothing found for \u201c" + input.value.trim() + "\u201d";
      list.appendChild(li);
    }
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + h.e.url;
      a.textContent = h.e.title;
      if (h.e.operationId) {
        var id = document.createElement("span");
        id.className = "id";
        id.textContent = h.e.operationId;
        a.appendChild(id);
      }
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = h.e.kind;
      a.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function move(delta) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    if (active >= 0) links[active].classList.remove("active");
    active = (active + delta + links.length) % links.length;
    links[active].classList.add("active");
    links[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", render);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
    else if (event.key === "Enter") {
      var links = list.querySelectorAll("a");
      var target = links[active >= 0 ? active : 0];
      if (target) window.location.href = target.href;
    } else if (event.key === "Escape") { input.value = ""; render(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { input.focus(); event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) list.hidden = true;
  });
  input.addEventListener("focus", function () { if (input.value.trim()) render(); });
})();
