// The review page's behaviour: the change list built from the page's data, each text block's
// highlights drawn when the block is shown, filters, keys, decisions and their export.
// Written into each page by pipeline/review.py; the page loads nothing else.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("review-data").textContent);
  // A change in the data is an array; these are its fields (pipeline/review.py, `_data`).
  var CHANGE = { id: 0, rule: 1, rawStart: 2, rawEnd: 3, start: 4, end: 5, line: 6, column: 7,
                 before: 8, after: 9, reason: 10, decision: 11, key: 12 };
  var changes = data.changes;
  var byId = {};   // page id -> list item
  var indexOf = {};  // page id -> index in `changes`
  var items = [];
  var state = {};
  var dirty = false;
  var current = null;
  var reviewerInput = document.getElementById("reviewer");
  var statusLine = document.getElementById("export-status");
  // pipeline/review.py's _HIDDEN and _SHOWN: characters shown as a labelled box, and those
  // shown with a symbol (they and whitespace) inside a change's exact text
  var HIDDEN = new RegExp(data.hidden, "u");
  var SHOWN = new RegExp(data.shown, "gu");
  var SPACES = { " ": ["·", "space"], "\u00a0": ["⍽", "no-break space"], "\t": ["→", "tab"],
                 "\u202f": ["⍽", "narrow no-break space"], "\u2009": ["·", "thin space"],
                 "\u3000": ["·", "ideographic space"] };
  var MARKED_SPACE = /[ \t\n\u00a0\u202f\u2009\u3000]/g;

  function rule(c) { return data.rules[c[CHANGE.rule]]; }
  function key(c) { return c.length > CHANGE.key ? c[CHANGE.key] : c[CHANGE.id]; }
  function applied(c) {
    var d = c[CHANGE.decision];
    return !d || d[0] !== "reject";
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  function codePoint(ch) {
    var hex = ch.codePointAt(0).toString(16).toUpperCase();
    return "U+" + "0000".slice(hex.length) + hex;
  }
  function charName(ch) { return data.names[codePoint(ch).slice(2)] || "character"; }

  // --- a change's exact text, whitespace and hidden characters made visible ---------------------

  function plain(text) {
    // one line for a tooltip: a join replaces a blank line with a space, and a tooltip that
    // showed both as blank would hide the whole change
    if (!text) { return "∅"; }
    var out = "";
    for (var ch of text) {
      if (ch === "\n") { out += "⏎"; }
      else if (ch === "\r") { out += "[CR]"; }
      else if (SPACES[ch]) { out += SPACES[ch][0]; }
      else if (HIDDEN.test(ch)) { out += "[" + codePoint(ch) + "]"; }
      else { out += ch; }
    }
    return out;
  }
  function describe(c) {
    var r = rule(c);
    return c[CHANGE.id] + (applied(c) ? "" : " (rejected, not applied)") + ": " + r[0] + "/" +
      r[1] + ", line " + c[CHANGE.line] + ", column " + c[CHANGE.column] + ": " +
      plain(c[CHANGE.before]) + " → " + plain(c[CHANGE.after]);
  }
  function exact(parent, text) {
    // every space, tab and line break marked with a symbol drawn by CSS (copying the text
    // copies the text), hidden characters as labelled boxes
    var last = 0;
    SHOWN.lastIndex = 0;
    if (!SHOWN.test(text)) { parent.textContent = text; return; }
    SHOWN.lastIndex = 0;
    for (var m; (m = SHOWN.exec(text)) !== null;) {
      var ch = m[0], at = m.index;
      parent.append(text.slice(last, at));
      last = at + ch.length;
      var next = text.slice(last, last + 1);
      var span;
      if (ch === "\r") {
        span = el("span", "ws cr");
        span.setAttribute("data-ws", "CR");
        span.title = "carriage return (U+000D)";
        parent.append(span);
        if (next !== "\n") { parent.append("\n"); }
        continue;
      }
      if (ch === "\n") {
        span = el("span", "ws nl", "\n");
        span.setAttribute("data-ws", "⏎");
        span.title = "line break";
      } else if (SPACES[ch]) {
        span = el("span", "ws sp", ch);
        span.setAttribute("data-ws", SPACES[ch][0]);
        span.title = SPACES[ch][1] + " (" + codePoint(ch) + ")";
      } else if (!HIDDEN.test(ch)) {
        span = el("span", "ws sp", ch);
        span.setAttribute("data-ws", "·");
        span.title = charName(ch) + " (" + codePoint(ch) + ")";
      } else {
        span = el("span", "ctl", codePoint(ch));
        span.title = charName(ch) + " (" + codePoint(ch) + "), invisible or not representable";
      }
      parent.append(span);
    }
    parent.append(text.slice(last));
  }

  // --- the change list, built from the data ------------------------------------------------

  function buildItem(template, c) {
    // the template's parts by position (pipeline/review.py, `_change_template`): thousands of
    // items are built at once, and a query per part costs more than the part
    var id = c[CHANGE.id];
    var r = rule(c);
    var li = template.cloneNode(true);
    var part = li.children;  // h3, where, diff, reason, range, recorded, decide
    li.id = id;
    li.setAttribute("data-stage", r[0]);
    li.setAttribute("data-rule", r[1]);
    li.setAttribute("aria-labelledby", id + "-title");
    if (!applied(c)) { li.classList.add("rejected"); }
    part[0].id = id + "-title";
    var link = part[0].firstChild;
    link.href = "#" + id;
    link.textContent = id;
    var where = part[1].children;  // stage, rule, at
    where[0].textContent = r[0];
    where[1].textContent = r[1];
    where[2].textContent = " · raw line " + c[CHANGE.line] + ", column " + c[CHANGE.column];
    [c[CHANGE.before], c[CHANGE.after]].forEach(function (text, n) {
      var code = part[2].children[n].lastChild;
      if (text) { exact(code, text); }
      else { code.append(el("span", "empty", "nothing")); }
    });
    part[3].textContent = data.reasons[c[CHANGE.reason]];
    part[4].textContent = "Raw characters " + c[CHANGE.rawStart] + "–" + c[CHANGE.rawEnd] +
      "; repaired text " + c[CHANGE.start] + "–" + c[CHANGE.end] + ".";
    var recorded = part[5];
    var d = c[CHANGE.decision];
    if (!d) {
      recorded.textContent = "No decision recorded yet.";
    } else {
      recorded.append(el("strong", "", applied(c) ? "Accepted"
                                                  : "Rejected (not applied in this build)"),
                      " by " + d[1] + " on " + d[2]);
      if (d[3]) { recorded.append(": ", el("q", "", d[3])); }
      recorded.append(".");
    }
    var decide = part[6].children;  // legend, three choices, the comment
    for (var k = 1; k <= 3; k++) {
      var radio = decide[k].firstChild;
      radio.name = "decision-" + id;
      radio.checked = radio.value === (d ? d[0] : "");
    }
    var comment = decide[4].lastChild;
    comment.name = "comment-" + id;
    if (d && d[3]) { comment.value = d[3]; }
    return li;
  }
  (function buildList() {
    var template = document.getElementById("change-template").content.firstElementChild;
    var list = document.createDocumentFragment();
    changes.forEach(function (c, n) {
      var li = buildItem(template, c);
      byId[li.id] = li;
      indexOf[li.id] = n;
      items.push(li);
      list.append(li);
      var d = c[CHANGE.decision];
      if (d) {
        state[li.id] = { decision: d[0], reviewer: d[1], date: d[2], comment: d[3], fresh: false };
        li.classList.add("decided-" + d[0]);
      }
    });
    document.querySelector("ol.changes").append(list);
  })();

  // --- the texts: blocks of lines, highlighted when shown ---------------------------------

  // Each pane: its blocks (element, first offset, end), and for each block the changes and
  // doubts that touch it. A change's range is [start, end) on its side; an empty one is a point.
  var panes = ["raw", "clean"].map(function (side, s) {
    var element = document.getElementById(side + "-text");
    var blocks = Array.prototype.map.call(element.children, function (block) {
      return { el: block, at: Number(block.getAttribute("data-at")), changes: [], doubts: [],
               drawn: false };
    });
    blocks.forEach(function (b, n) {
      b.end = n + 1 < blocks.length ? blocks[n + 1].at : data.lengths[s];
    });
    var pane = { side: side, el: element, blocks: blocks, marks: [],
                 first: s === 0 ? CHANGE.rawStart : CHANGE.start,
                 last: s === 0 ? CHANGE.rawEnd : CHANGE.end };
    changes.forEach(function (c, n) {
      var start = c[pane.first], end = c[pane.last];
      var k = blockAt(pane, start);
      do { blocks[k].changes.push(n); k++; } while (k < blocks.length && blocks[k].at < end);
    });
    data.doubts.forEach(function (d, n) { blocks[blockAt(pane, d[1 + s])].doubts.push(n); });
    return pane;
  });
  function blockAt(pane, offset) {
    // the block holding `offset` (the last block holds the text's end)
    var low = 0, high = pane.blocks.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (pane.blocks[mid].at <= offset) { low = mid; } else { high = mid - 1; }
    }
    return low;
  }
  function point(pane, c) {
    var kind, mark;
    if (!applied(c) && pane.side === "clean") { kind = "rej"; mark = "⊘"; }
    else if (pane.side === "raw") { kind = "ins"; mark = "+"; }
    else { kind = "del"; mark = "⌫"; }
    var span = el("span", "pt " + kind);
    span.setAttribute("data-c", c[CHANGE.id]);
    span.setAttribute("data-mark", mark);
    span.title = describe(c);
    return span;
  }
  function doubtPoint(d) {
    var link = el("a", "pt doubt");
    link.href = "#" + d[0];
    link.setAttribute("data-d", d[0]);
    link.setAttribute("data-mark", "?");
    link.setAttribute("aria-label", "doubt " + d[0]);
    link.title = "Doubt (" + d[3] + "): " + d[4];
    return link;
  }
  function draw(pane, block) {
    // The block's text with each change's range wrapped in <mark data-c="ids…"> (overlapping
    // ranges cut into pieces that name every change covering them) and an empty range (an
    // insertion seen from the raw side, a deletion or a rejected change seen from the repaired
    // side) as a point marker, so that no change is invisible on either side.
    if (block.drawn) { return; }
    block.drawn = true;
    var parts = [];  // [offset, text or element]: the block's text as written, in order
    var offset = block.at;
    for (var node = block.el.firstChild; node; node = node.nextSibling) {
      parts.push([offset, node.nodeType === 3 ? node.data : node]);
      offset += node.nodeType === 3 ? node.data.length : 1;
    }
    var ranged = [], points = {}, bounds = [block.at, block.end];
    function addPoint(at, node) {
      if (at < block.at || at > block.end) { return; }
      (points[at] = points[at] || []).push(node);
      bounds.push(at);
    }
    block.changes.forEach(function (n) {
      var c = changes[n], start = c[pane.first], end = c[pane.last];
      if (end > start) {
        start = Math.max(start, block.at);
        end = Math.min(end, block.end);
        if (end > start) { ranged.push([start, end, n]); bounds.push(start, end); }
      } else {
        addPoint(start, point(pane, c));
      }
    });
    block.doubts.forEach(function (n) {
      var d = data.doubts[n];
      addPoint(d[pane.side === "raw" ? 1 : 2], doubtPoint(d));
    });
    bounds = Array.from(new Set(bounds)).sort(function (a, b) { return a - b; });
    var out = document.createDocumentFragment();
    var p = 0;  // the part the next piece starts in
    for (var i = 0; i < bounds.length; i++) {
      var from = bounds[i];
      (points[from] || []).forEach(function (node) {
        out.append(node);
        if (node.hasAttribute("data-c")) { pane.marks.push(node); paint(node); }
      });
      if (i + 1 === bounds.length) { break; }
      var to = bounds[i + 1];
      var active = ranged.filter(function (r) { return r[0] <= from && r[1] > from; });
      var target = out;
      if (active.length) {
        target = el("mark", "hl");
        target.setAttribute("data-c", active.map(function (r) {
          return changes[r[2]][CHANGE.id];
        }).join(" "));
        target.title = active.map(function (r) { return describe(changes[r[2]]); }).join("; ");
        out.append(target);
        pane.marks.push(target);
        paint(target);
      }
      while (p < parts.length && parts[p][0] < to) {
        var part = parts[p], end = part[0] + (typeof part[1] === "string" ? part[1].length : 1);
        if (end <= from) { p++; continue; }
        if (typeof part[1] !== "string") {
          target.append(part[1]);
        } else {
          var piece = part[1].slice(Math.max(from, part[0]) - part[0], Math.min(to, end) - part[0]);
          if (active.length) { markedText(target, piece); } else { target.append(piece); }
        }
        if (end > to) { break; }
        p++;
      }
    }
    block.el.textContent = "";
    block.el.append(out);
  }
  function markedText(mark, text) {
    var last = 0;
    MARKED_SPACE.lastIndex = 0;
    for (var m; (m = MARKED_SPACE.exec(text)) !== null;) {
      mark.append(text.slice(last, m.index));
      last = m.index + 1;
      var ch = m[0], span;
      if (ch === "\n") {
        span = el("span", "ws nl", "\n");
        span.setAttribute("data-ws", "⏎");
        span.title = "line break";
      } else {
        span = el("span", "ws sp", ch);
        span.setAttribute("data-ws", SPACES[ch][0]);
        span.title = SPACES[ch][1] + " (" + codePoint(ch) + ")";
      }
      mark.append(span);
    }
    mark.append(text.slice(last));
  }
  // Draw a block when it comes within a screen of being shown in its pane.
  panes.forEach(function (pane) {
    var byElement = new Map(pane.blocks.map(function (b) { return [b.el, b]; }));
    var watch = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          draw(pane, byElement.get(entry.target));
          watch.unobserve(entry.target);
        }
      });
    }, { root: pane.el, rootMargin: "100% 0px" });
    pane.blocks.forEach(function (b) { watch.observe(b.el); });
  });

  // --- filters, selection, decisions --------------------------------------------------------

  function today() {
    var d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function checkedValues(kind) {
    var values = {};
    document.querySelectorAll('input[data-filter="' + kind + '"]').forEach(function (box) {
      if (box.checked) { values[box.value] = true; }
    });
    return values;
  }
  function visible(li) { return !li.classList.contains("filtered"); }
  function rejected(id) {
    return state[id] ? state[id].decision === "reject" : !applied(changes[indexOf[id]]);
  }
  function paint(mark) {
    var shown = mark.getAttribute("data-c").split(" ").filter(function (id) {
      return byId[id] && visible(byId[id]);
    });
    mark.classList.toggle("off", shown.length === 0);
    mark.classList.toggle("rej", shown.length > 0 && shown.every(rejected));
    mark.classList.toggle("cur", current !== null && shown.indexOf(current) >= 0);
  }
  function refreshMarks() {
    panes.forEach(function (pane) { pane.marks.forEach(paint); });
  }
  function refreshCounts() {
    var undecided = items.filter(function (li) { return !state[li.id]; }).length;
    document.getElementById("count-undecided").textContent = String(undecided);
    var shown = items.filter(visible).length;
    document.getElementById("shown").textContent = shown + " of " + items.length +
      " shown, " + undecided + " undecided";
  }
  function applyFilters() {
    var stages = checkedValues("stage");
    var rules = checkedValues("rule");
    var onlyUndecided = document.getElementById("only-undecided").checked;
    items.forEach(function (li) {
      var stage = li.getAttribute("data-stage");
      var show = !!stages[stage] && !!rules[stage + "/" + li.getAttribute("data-rule")] &&
        (!onlyUndecided || !state[li.id]);
      // Not `hidden`: taking thousands of items out of layout costs seconds in Chromium;
      // skipping their contents (content-visibility) hides them as well, from sight, focus and
      // the accessibility tree, in a fraction of that.
      if (visible(li) !== show) {
        li.classList.toggle("filtered", !show);
        if (show) { li.removeAttribute("aria-hidden"); }
        else { li.setAttribute("aria-hidden", "true"); }
      }
    });
    refreshMarks();
    refreshCounts();
  }
  function scrollPane(pane, node) {
    var top = 0;
    for (var n = node; n && n !== pane; n = n.offsetParent) { top += n.offsetTop; }
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
  }
  function select(li, focus) {
    if (current && byId[current]) {
      byId[current].classList.remove("current");
      byId[current].removeAttribute("aria-current");
    }
    current = li.id;
    li.classList.add("current");
    li.setAttribute("aria-current", "true");
    var c = changes[indexOf[li.id]];
    panes.forEach(function (pane) {
      var block = pane.blocks[blockAt(pane, c[pane.first])];
      draw(pane, block);
      var first = block.el.querySelector('[data-c~="' + li.id + '"]');
      if (first) { scrollPane(pane.el, first); }
    });
    refreshMarks();
    if (focus) {
      li.focus({ preventScroll: true });
      li.scrollIntoView({ block: "nearest" });
    }
  }
  function move(step) {
    var start = current && byId[current] ? items.indexOf(byId[current])
      : (step > 0 ? -1 : items.length);
    for (var i = start + step; i >= 0 && i < items.length; i += step) {
      if (visible(items[i])) { select(items[i], true); return; }
    }
    if (current && byId[current] && visible(byId[current])) { byId[current].focus(); }
  }
  function focusDetails(li) {
    var target = li.querySelector(".decide input:checked") || li.querySelector(".decide input");
    if (target) { target.focus(); }
  }
  function setDecision(id, verdict, fromKey) {
    var li = byId[id];
    if (!li) { return; }
    var comment = li.querySelector(".comment-input").value;
    if (verdict) {
      state[id] = { decision: verdict, reviewer: "", date: today(), comment: comment, fresh: true };
    } else {
      delete state[id];
    }
    if (fromKey) {
      var radio = li.querySelector('.decide input[value="' + verdict + '"]');
      if (radio) { radio.checked = true; }
    }
    li.classList.toggle("decided-accept", verdict === "accept");
    li.classList.toggle("decided-reject", verdict === "reject");
    dirty = true;
    refreshMarks();
    refreshCounts();
  }
  function exportDecisions() {
    var reviewer = reviewerInput.value.trim();
    var fresh = Object.keys(state).some(function (id) { return state[id].fresh; });
    if (fresh && !reviewer) {
      statusLine.textContent =
        "Enter your name as reviewer first: every decision records who made it.";
      statusLine.className = "error";
      reviewerInput.focus();
      return;
    }
    var out = {};
    document.querySelectorAll("input.keep-stale").forEach(function (box) {
      if (!box.checked) { return; }
      var s = data.stale[Number(box.value)];
      out[s.key] = { decision: s.decision, reviewer: s.reviewer, date: s.date,
                     comment: s.comment, before: s.before, after: s.after };
    });
    items.forEach(function (li) {
      var st = state[li.id];
      if (!st) { return; }
      var c = changes[indexOf[li.id]];
      out[key(c)] = { decision: st.decision, reviewer: st.fresh ? reviewer : st.reviewer,
                      date: st.date, comment: st.comment,
                      before: c[CHANGE.before], after: c[CHANGE.after] };
    });
    var sorted = {};
    Object.keys(out).sort().forEach(function (k) { sorted[k] = out[k]; });
    var text = JSON.stringify({ document: data.document, decisions: sorted }, null, 2) + "\n";
    var link = document.getElementById("download");
    if (link.href) { URL.revokeObjectURL(link.href); }
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.hidden = false;
    link.click();
    dirty = false;
    statusLine.className = "";
    statusLine.textContent = "Exported " + Object.keys(sorted).length + " decisions as " +
      data.decisionsFile + ". Save it in review/ and run make.";
  }

  document.querySelector(".controls").addEventListener("change", function (e) {
    if (e.target.matches("input[data-filter], #only-undecided")) { applyFilters(); }
  });
  document.getElementById("export").addEventListener("click", exportDecisions);
  var list = document.querySelector("ol.changes");
  list.addEventListener("change", function (e) {
    var li = e.target.closest("li.change");
    if (!li) { return; }
    if (e.target.type === "radio") { setDecision(li.id, e.target.value, false); }
  });
  list.addEventListener("input", function (e) {
    var li = e.target.closest("li.change");
    if (li && e.target.classList.contains("comment-input") && state[li.id]) {
      state[li.id].comment = e.target.value;
      state[li.id].fresh = true;
      state[li.id].date = today();
      dirty = true;
    }
  });
  list.addEventListener("click", function (e) {
    var li = e.target.closest("li.change");
    if (li && li.id !== current) { select(li, false); }
  });
  panes.forEach(function (pane) {
    pane.el.addEventListener("click", function (e) {
      var mark = e.target.closest("[data-c]");
      if (!mark) { return; }
      var ids = mark.getAttribute("data-c").split(" ").filter(function (id) {
        return byId[id] && visible(byId[id]);
      });
      if (!ids.length) { return; }
      var next = ids[(ids.indexOf(current) + 1) % ids.length];
      select(byId[next], true);
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    var typing = t.matches && t.matches('input[type="text"], textarea, select, [contenteditable]');
    if (typing) {
      if (e.key === "Escape" && current) { byId[current].focus(); e.preventDefault(); }
      return;
    }
    var onChange = t.classList && t.classList.contains("change");
    switch (e.key) {
      case "j": case "n": move(1); break;
      case "k": case "p": move(-1); break;
      case "Enter":
        if (!onChange) { return; }
        focusDetails(t);
        break;
      case "Escape":
        if (!current) { return; }
        byId[current].focus();
        break;
      case "a": case "r": case "u":
        if (!current) { return; }
        setDecision(current, { a: "accept", r: "reject", u: "" }[e.key], true);
        break;
      default: return;
    }
    e.preventDefault();
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  applyFilters();
})();
