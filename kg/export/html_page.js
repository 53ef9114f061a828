/* The explorer's behaviour: filters, search and the details panel.
 *
 * kg.export.html_page inlines this text into the page, inside a function that has already
 * defined nodeData, edgeData and docData (the records written by kg.export.html) and the
 * globals nodes, edges, network and options. Graph text is only ever set as textContent or
 * as a vis title string (shown with innerText). The text must not contain a less-than sign:
 * the page script as a whole has none, which tests check, since every such sign of the data
 * is escaped.
 */
var byId = function (id) { return document.getElementById(id); };
var details = byId("kg-details");
var status = byId("kg-status");
var found = byId("kg-found");
var search = byId("kg-search");
var nodeById = Object.create(null);  // ids are keys: no inherited names
var edgeById = Object.create(null);
var state = {classes: {}, families: {}, docs: null, min: 0, linked: false};
var shownEdges = Object.create(null);
var touched = Object.create(null);
var nodeView = null;
var edgeView = null;

nodeData.forEach(function (n) {
  nodeById[n.id] = n;
  var keys = n.names.concat(n.claim ? [n.claim.text] : []);
  n.searchKeys = keys.map(function (key) { return key.toLowerCase().trim(); });
});
edgeData.forEach(function (e) { edgeById[e.id] = e; });

/* ----- filters ---------------------------------------------------------------------- */

function checked(selector) {
  var on = Object.create(null);
  document.querySelectorAll(selector).forEach(function (box) { on[box.value] = box.checked; });
  return on;
}

function readControls() {
  state.classes = checked("input.kg-class");
  state.families = checked("input.kg-family");
  var docs = checked("input.kg-doc");
  var all = Object.keys(docs).every(function (key) { return docs[key]; });
  state.docs = all ? null : docs;
  state.min = parseFloat(byId("kg-confidence").value) || 0;
  state.linked = byId("kg-linked").checked;
  byId("kg-confidence-value").textContent = state.min.toFixed(2);
}

function edgePasses(e) {
  if (!state.families[e.family]) { return false; }
  if (!state.classes[nodeById[e.from].cls] || !state.classes[nodeById[e.to].cls]) {
    return false;
  }
  if (state.min > 0 && !(e.confidence !== null && e.confidence >= state.min)) { return false; }
  return !state.docs || e.docs.some(function (d) { return state.docs[d]; });
}

function nodePasses(n) {
  if (!state.classes[n.cls]) { return false; }
  if (touched[n.id]) { return true; }
  if (state.docs) { return n.docs.some(function (d) { return state.docs[d]; }); }
  return !state.linked;
}

function showCounts() {
  status.textContent = nodeView.length + " of " + nodeData.length + " nodes, " +
    edgeView.length + " of " + edgeData.length + " edges shown";
}

function applyFilters() {
  readControls();
  shownEdges = Object.create(null);
  touched = Object.create(null);
  edgeData.forEach(function (e) {
    if (edgePasses(e)) {
      shownEdges[e.id] = true;
      touched[e.from] = true;
      touched[e.to] = true;
    }
  });
  if (nodeView) {
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }
}

function setBoxes(selector, value) {
  document.querySelectorAll(selector).forEach(function (box) { box.checked = value; });
}

/* ----- the network ------------------------------------------------------------------ */

applyFilters();
nodes = new vis.DataSet(nodeData);
edges = new vis.DataSet(edgeData);
nodeView = new vis.DataView(nodes, {filter: function (n) { return nodePasses(n); }});
edgeView = new vis.DataView(edges, {filter: function (e) { return shownEdges[e.id] === true; }});
network = new vis.Network(byId("mynetwork"), {nodes: nodeView, edges: edgeView}, options);
network.once("afterDrawing", function () {
  document.documentElement.setAttribute("data-kg-drawn", performance.now().toFixed(1));
});
showCounts();

/* ----- the details panel ------------------------------------------------------------ */

function el(tag, text, className) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  if (className) { node.className = className; }
  return node;
}

function row(key) {
  var line = el("div", null, "kg-row");
  if (key) { line.append(el("span", key + ": ", "kg-key")); }
  details.append(line);
  return line;
}

function addRow(key, value) {
  if (value !== undefined && value !== null && value !== "") {
    row(key).append(document.createTextNode(String(value)));
  }
}

function nodeButton(ref) {
  if (!nodeById[ref[0]]) { return el("span", ref[1]); }
  var button = el("button", ref[1], "kg-link");
  button.type = "button";
  button.addEventListener("click", function () { focusNode(ref[0]); });
  return button;
}

function edgeButton(e, text) {
  var button = el("button", text, "kg-link");
  button.type = "button";
  button.addEventListener("click", function () { showEdge(e); });
  return button;
}

function addRefs(key, refs, none) {
  if (!refs.length && !none) { return; }
  var line = row(key);
  if (!refs.length) { line.append(document.createTextNode(none)); }
  refs.forEach(function (ref, i) {
    if (i) { line.append(document.createTextNode(", ")); }
    line.append(nodeButton(ref));
  });
}

function docName(number) {
  return number === null || number === undefined ? "unknown document" : docData[number].name;
}

function addEvidence(list) {
  details.append(el("h3", list.length ? "Evidence (" + list.length + ")" : "No evidence recorded"));
  var items = el("ol", null, "kg-evidence");
  list.forEach(function (ev) {
    var item = el("li");
    var meta = [docName(ev.doc)];
    if (ev.confidence !== null) { meta.push("confidence " + ev.confidence.toFixed(2)); }
    if (ev.rule) { meta.push("rule " + ev.rule); }
    if (ev.span) { meta.push("characters " + ev.span[0] + "\u2013" + ev.span[1]); }
    var where = el("div", meta.join(" \u00b7 "), "kg-meta");
    if (ev.doc !== null && docData[ev.doc].title) { where.title = docData[ev.doc].title; }
    item.append(el("q", ev.sentence), where);
    items.append(item);
  });
  details.append(items);
}

function openPanel(heading, kind) {
  details.replaceChildren();
  var close = el("button", "\u00d7", "kg-close");
  close.type = "button";
  close.title = "close";
  close.addEventListener("click", function () { details.hidden = true; });
  details.append(close, el("div", kind, "kg-kind"), el("h2", heading));
  details.hidden = false;
  details.scrollTop = 0;
}

function addWikidata(n) {
  n.wikidata.filter(function (q) { return /^Q[0-9]+$/.test(q); }).forEach(function (q) {
    var link = el("a", "Wikidata " + q);
    link.href = "https://www.wikidata.org/wiki/" + q;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    row("link").append(link);
  });
  n.sameAs.forEach(function (other) { addRow("same as", other); });
}

function addClaim(claim) {
  addRow("says", "\u201c" + claim.text + "\u201d");
  addRefs("speaker", claim.speaker, "not recorded");
  addRefs("stated by", claim.statedBy);
  addRefs("denied by", claim.deniedBy, "nobody in the graph");
  addRow("document", claim.doc === null ? null : docName(claim.doc));
  addRow("sentence", claim.sentence);
  addEvidence(claim.evidence);
}

function addEdgeList(n) {
  var own = edgeData.filter(function (e) { return e.from === n.id || e.to === n.id; });
  if (!own.length) { return; }
  details.append(el("h3", "Relations (" + own.length + ")"));
  var items = el("ul", null, "kg-relations");
  own.slice(0, 200).forEach(function (e) {
    var other = nodeById[e.from === n.id ? e.to : e.from];
    var text = e.from === n.id ? e.label + " \u2192 " + other.label
                               : other.label + " \u2192 " + e.label;
    var item = el("li");
    item.append(edgeButton(e, text));
    items.append(item);
  });
  details.append(items);
  if (own.length > 200) {
    details.append(el("div", "\u2026 and " + (own.length - 200) + " more"));
  }
}

function showNode(n) {
  openPanel(n.label, n.cls);
  if (n.claim) {
    addRow("label", n.claim.title);
    addClaim(n.claim);
  } else {
    addRow("aliases", n.aliases.join(", "));
    addWikidata(n);
  }
  addRow("IRI", n.iri);
  addEdgeList(n);
}

function showEdge(e) {
  openPanel(e.label, "relation \u00b7 " + e.family);
  var line = row("");
  line.append(nodeButton([e.from, nodeById[e.from].label]),
              document.createTextNode(" \u2014" + e.label + "\u2192 "),
              nodeButton([e.to, nodeById[e.to].label]));
  if (nodeById[e.to].claim) { addRow("claim", "\u201c" + nodeById[e.to].claim.text + "\u201d"); }
  addRow("confidence", e.confidence === null ? "not recorded" : e.confidence.toFixed(2));
  addRow("modality", e.modality.join(", "));
  addRow("documents", e.docs.map(docName).join(", "));
  addEvidence(e.evidence);
}

network.on("click", function (params) {
  if (params.nodes.length) { showNode(nodeById[params.nodes[0]]); }
  else if (params.edges.length) { showEdge(edgeById[params.edges[0]]); }
  else { details.hidden = true; }
});

/* ----- search ----------------------------------------------------------------------- */

function focusNode(id) {
  var n = nodeById[id];
  if (nodeView.get(id)) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 300}});
  } else {
    network.unselectAll();
    found.textContent = n.label + " is hidden by the filters";
  }
  showNode(n);
}

function rank(n, query) {
  return n.searchKeys.reduce(function (best, key) {
    var at = key.indexOf(query);
    return Math.max(best, key === query ? 3 : at === 0 ? 2 : at === -1 ? 0 : 1);
  }, 0);
}

function runSearch() {
  var query = search.value.trim().toLowerCase();
  if (!query) { return; }
  var hits = [];
  nodeData.forEach(function (n) {
    var score = rank(n, query);
    if (score) { hits.push({node: n, score: score + (nodeView.get(n.id) ? 0.5 : 0)}); }
  });
  if (!hits.length) {
    found.textContent = "no node matches";
    return;
  }
  hits.sort(function (a, b) { return b.score - a.score; });
  found.textContent = hits.length + " match(es)";
  focusNode(hits[0].node.id);
}

search.addEventListener("keydown", function (event) {
  if (event.key === "Enter") { runSearch(); }
});
search.addEventListener("input", function (event) {
  if (event.inputType === "insertReplacementText") { runSearch(); }  // picked from the list
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") { details.hidden = true; }
});

/* ----- filter controls -------------------------------------------------------------- */

byId("kg-filters").addEventListener("change", applyFilters);
byId("kg-confidence").addEventListener("input", applyFilters);
byId("kg-docs-all").addEventListener("click", function () {
  setBoxes("input.kg-doc", true);
  applyFilters();
});
byId("kg-docs-none").addEventListener("click", function () {
  setBoxes("input.kg-doc", false);
  applyFilters();
});
byId("kg-reset").addEventListener("click", function () {
  setBoxes("input.kg-class, input.kg-family, input.kg-doc", true);
  byId("kg-linked").checked = false;
  byId("kg-confidence").value = "0";
  applyFilters();
});
