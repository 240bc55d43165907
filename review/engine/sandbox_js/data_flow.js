// What each request carried, and which strings reached the rows: the record
// review/engine/dataflow.py follows. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them).
function makeDataFlow({ list, append, dict, callerPlace, $String, strCharCodeAt, strSlice }) {
  var $imul = Math.imul;
  // ---- data flow: what each request carried, and which strings reached the rows ----
  // review/engine/dataflow.py follows the secrets and the received data by value through
  // this record. It is kept apart from `requests` (the table people read) and bounded by
  // size: a run that sends more than it holds loses part of it, and says so (flow_lost),
  // so the review fails closed instead of judging half of what was sent.
  var MAX_FLOW_ENTRIES = 2000, MAX_FLOW_CHARS = 4 * 1024 * 1024, MAX_CELL_STRINGS = 20000;
  var flow, flowChars, flowLost, cellStrings, cellStringCount;
  // DOMO.sleep between requests is something a site can observe (their timing): each
  // entry carries the milliseconds slept since the request before it.
  var slept;
  function noteSleep(ms) { slept += ms; }
  // What a run produces, as digests the review compares between runs (review/engine/
  // multi_execution.py): the rows (columns and cells), the DOMO.log lines as logged
  // (before masking), what discovery publishes. Two 32-bit FNV-1a lanes: a difference
  // between two runs of the same script is what is asked, not a secure hash.
  var digests;
  var DIGEST_CHARS = 96;
  function observe(channel, value) {
    var d = digests[channel];
    if (d === undefined) { d = digests[channel] = { __proto__: null, a: 0x811c9dc5 | 0, b: 0x01000193 | 0, n: 0 }; }
    // A long value counts by its length and its first characters: a run's cost stays
    // linear in the number of cells, not their size (a perturbed response changes every
    // character, so the first ones show it). Sliced before anything is added to it, so
    // the long text is never copied.
    var s = typeof value !== 'string' ? null : value.length > DIGEST_CHARS ?
      's' + strSlice(value, 0, DIGEST_CHARS) + '#' + value.length : 's' + value;
    s = s !== null ? s : typeof value === 'number' ? 'n' + $String(value) :
      value === null || value === undefined ? 'u' : 'o' + $String(typeof value);
    var a = d.a, b = d.b;
    for (var i = 0; i < s.length; i++) {
      var c = strCharCodeAt(s, i);
      a = $imul(a ^ c, 0x01000193);
      b = $imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
    }
    a = $imul(a ^ 0xff, 0x01000193);  // an end-of-value mark: "ab"+"c" is not "a"+"bc"
    b = $imul(b ^ 0xff, 0x5bd1e995) ^ (b >>> 13);
    d.a = a; d.b = b; d.n += 1;
  }
  var HEX = '0123456789abcdef';
  function hex32(x) {
    var s = '';
    for (var shift = 28; shift >= 0; shift -= 4) { s += HEX[(x >>> shift) & 15]; }
    return s;
  }
  function digestList() {
    var out = dict();
    for (var channel in digests) {
      var d = digests[channel];
      out[channel] = hex32(d.a) + '-' + hex32(d.b) + '-' + d.n;
    }
    return out;
  }
  function recordFlow(method, url, hostport, declared, headers, body, extraHeaders, sample, place) {
    var sent = dict();
    var size = url.length + (body === null ? 0 : body.length);
    var name;
    for (name in headers) { sent[name] = headers[name]; size += name.length + headers[name].length; }
    if (extraHeaders) {
      for (name in extraHeaders) { sent[name] = extraHeaders[name]; size += name.length + extraHeaders[name].length; }
    }
    if (flow.length >= MAX_FLOW_ENTRIES || flowChars + size > MAX_FLOW_CHARS) { flowLost = true; return; }
    flowChars += size;
    var sleptBefore = slept;
    slept = 0;
    if (place === null) { place = callerPlace(); }
    append(flow, { __proto__: null, method: method, url: url, host: hostport, declared: declared,
                   headers: sent, body: body, sample: sample === null ? -1 : sample.index, slept: sleptBefore,
                   line: place.line, column: place.column });
  }
  // Distinct texts of the cells: the review learns from them which sites' responses
  // reached the rows (source sites). A few after each response are enough to show that
  // the response's data went into the rows, and keep the record small: the first
  // CELLS_PER_RESPONSE distinct ones after each answered request.
  var CELLS_PER_RESPONSE = 64;
  var cellWindow;
  function noteCell(value) {
    if (cellWindow <= 0) { return; }
    var s = typeof value === 'string' ? value : typeof value === 'number' && value === value ? '' + value : null;
    if (s === null || s === '' || cellStringCount >= MAX_CELL_STRINGS || cellStrings[s] === true) { return; }
    cellStrings[s] = true;
    cellStringCount += 1;
    cellWindow -= 1;
  }
  function cellStringList() {
    var out = list();
    for (var s in cellStrings) { append(out, s); }
    return out;
  }
  // The first cells after each answered request are the ones noted.
  function responseAnswered() { cellWindow = CELLS_PER_RESPONSE; }

  var flowPart = {
    reset: function () {
      flow = list(); flowChars = 0; flowLost = false; cellStrings = dict(); cellStringCount = 0;
      cellWindow = CELLS_PER_RESPONSE; slept = 0; digests = dict();
    },
    report: function (record) { record.flow = flow; record.flow_lost = flowLost; record.cells = cellStringList();
      record.slept_after = slept; record.digests = digestList();
    }
  };
  return { recordFlow: recordFlow, noteCell: noteCell, noteSleep: noteSleep, observe: observe, responseAnswered: responseAnswered, flowPart: flowPart };
}
