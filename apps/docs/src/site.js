// Site search: filters window.CLOUD_BACKUP_SEARCH (assets/search-index.js) as you type.
// Works from file:// too: the index is a script, not a fetched JSON file.
(() => {
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.CLOUD_BACKUP_SEARCH || [];
  if (!input || !list) return;
  var script = document.querySelector('script[src$="assets/site.js"]');
  var base = script ? script.getAttribute("src").replace(/assets\/site\.js$/, "") : "";
  var active = -1;

  function score(entry, words) {
    var title = entry.title.toLowerCase();
    var keys = `${entry.keys} ${entry.operationId || ""}`.toLowerCase();
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

  var status = document.getElementById("search-status");
  function announce(text) {
    if (status) status.textContent = text;
  }

  function render() {
    var q = input.value.trim().toLowerCase();
    list.innerHTML = "";
    active = -1;
    if (!q) {
      list.hidden = true;
      announce("");
      return;
    }
    var words = q.split(/\s+/);
    var hits = index
      .map((e) => ({ e: e, s: score(e, words) }))
      .filter((h) => h.s > 0)
      .sort((a, b) => b.s - a.s)
      .slice(0, 12);
    if (!hits.length) {
      var li = document.createElement("li");
      li.className = "empty";
      li.textContent = `Nothing found for \u201c${input.value.trim()}\u201d`;
      list.appendChild(li);
    }
    hits.forEach((h) => {
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
    announce(hits.length ? `${hits.length + (hits.length === 1 ? " result" : " results")}; press Down to reach them` : "Nothing found");
  }

  // Keyboard: Down from the box moves the focus to the first result, Up and Down move between
  // results (Up from the first one goes back to the box), Escape clears and returns to the box.
  function move(delta) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    if (active >= 0) links[active].classList.remove("active");
    active += delta;
    if (active < 0) {
      active = -1;
      input.focus();
      return;
    }
    if (active >= links.length) active = links.length - 1;
    links[active].classList.add("active");
    links[active].focus();
    links[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", render);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      if (list.hidden) render();
      active = -1;
      move(1);
      event.preventDefault();
    } else if (event.key === "Enter") {
      var links = list.querySelectorAll("a");
      var target = links[Math.max(active, 0)];
      if (target) window.location.href = target.href;
    } else if (event.key === "Escape") {
      input.value = "";
      render();
    }
  });
  list.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      move(1);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      move(-1);
      event.preventDefault();
    } else if (event.key === "Escape") {
      input.value = "";
      render();
      input.focus();
      event.preventDefault();
    }
  });
  list.addEventListener("focusin", (event) => {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(event.target);
    if (i < 0) return;
    if (active >= 0 && links[active]) links[active].classList.remove("active");
    active = i;
    links[active].classList.add("active");
  });
  // Leaving the search with Tab closes the results, as a click elsewhere does.
  input.parentNode.addEventListener("focusout", (event) => {
    if (!event.relatedTarget || !input.parentNode.contains(event.relatedTarget)) list.hidden = true;
  });
  document.addEventListener("keydown", (event) => {
    var el = document.activeElement;
    var typing = el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable);
    if (event.key === "/" && !typing) {
      input.focus();
      event.preventDefault();
    }
  });
  document.addEventListener("click", (event) => {
    if (!list.contains(event.target) && event.target !== input) list.hidden = true;
  });
  input.addEventListener("focus", () => {
    if (input.value.trim()) render();
  });
})();

// Code blocks: a copy button on each (a real, named button, reachable with Tab).
(() => {
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (_e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }
  var blocks = document.querySelectorAll("main pre > code");
  for (var i = 0; i < blocks.length; i++) {
    ((code) => {
      var pre = code.parentNode;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      var lang = /language-([\w-]+)/.exec(code.className);
      button.setAttribute("aria-label", `Copy the ${lang ? `${lang[1]} ` : ""}code`);
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      wrap.appendChild(button);
      wrap.appendChild(status);
      button.addEventListener("click", () => {
        copyText(code.textContent).then(
          () => {
            button.textContent = "Copied";
            status.textContent = "Copied to the clipboard";
          },
          () => {
            button.textContent = "Copy failed";
            status.textContent = "Could not copy; select the text instead";
          },
        );
        setTimeout(() => {
          button.textContent = "Copy";
          status.textContent = "";
        }, 2000);
      });
    })(blocks[i]);
  }
})();
