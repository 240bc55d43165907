// The Domo runtime objects, as JavaScript stubs fed with the bundle's samples.
// mini-racer has no synchronous call from JavaScript into Python, so everything a
// connector script can ask for is answered here. Evaluating this file returns the
// runtime's four entry points, { start, run, settle, result }, which only the worker
// holds: they are not globals, so the connector's script cannot call or replace them.
//
// The script runs in the same V8 context as this file, so nothing that records what
// it did may depend on anything it can reach:
//   * every built-in the recorder and the serializer use is captured below, when this
//     file is evaluated and before any connector code runs, and prototype methods are
//     called through `uncurry` (a bound Function.prototype.call, so a later
//     Function.prototype.call or String.prototype.slice changes nothing here);
//   * the record lives in closure variables and in arrays and objects with no prototype
//     (`list()`, `{ __proto__: null }`), so no setter the script defines on
//     Array.prototype or Object.prototype sees a write, and no getter answers a read;
//   * the stubs' members are non-writable and non-configurable; an attempt to assign,
//     redefine or delete one fails and is recorded (sandbox-tampering);
//   * the record is serialized by `serialize` below, which never calls toJSON or any
//     method the script could have replaced; and `result` also reports the built-ins
//     the script replaced that a recorder would rely on (JSON.stringify, toJSON, ...).
//
// The user's script is evaluated with "//# sourceURL=user-script.js" so that stack
// frames of the script can be told apart from this file's frames.
(function (global) {
  'use strict';

  // ---- captured before any connector code runs ----
  var FunctionProto = Function.prototype;
  var uncurry = FunctionProto.bind.bind(FunctionProto.call);
  var $Object = Object, $String = String, $Number = Number, $Error = Error, $TypeError = TypeError;
  var $Proxy = Proxy, $Date = Date, $JSON = JSON;
  var $defineProperty = Object.defineProperty, $getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var $getOwnPropertyNames = Object.getOwnPropertyNames, $keys = Object.keys, $setPrototypeOf = Object.setPrototypeOf;
  var $reflectSet = Reflect.set, $reflectDefineProperty = Reflect.defineProperty;
  var $reflectDeleteProperty = Reflect.deleteProperty, $getPrototypeOf = Object.getPrototypeOf;
  var $isArray = Array.isArray, $parse = JSON.parse, $isNaN = isNaN, $max = Math.max;
  var $fromCharCode = String.fromCharCode, $dateNow = Date.now, $EvalError = EvalError;
  var $encodeURIComponent = encodeURIComponent, $decodeURIComponent = decodeURIComponent;
  var $escape = escape, $unescape = unescape;
  var $captureStackTrace = Error.captureStackTrace;
  var hasOwn = uncurry(Object.prototype.hasOwnProperty);
  var strSlice = uncurry(String.prototype.slice), strIndexOf = uncurry(String.prototype.indexOf);
  var strLastIndexOf = uncurry(String.prototype.lastIndexOf), strCharCodeAt = uncurry(String.prototype.charCodeAt);
  var strToLowerCase = uncurry(String.prototype.toLowerCase), strToUpperCase = uncurry(String.prototype.toUpperCase);
  var strTrim = uncurry(String.prototype.trim);
  var regExec = uncurry(RegExp.prototype.exec);
  var listSort = uncurry(Array.prototype.sort);
  var dateToISOString = uncurry(Date.prototype.toISOString);
  var fnApply = uncurry(FunctionProto.apply);

  // An array no setter or getter on Array.prototype can reach; append by index.
  function list() { var a = []; $setPrototypeOf(a, null); return a; }
  function append(a, value) { a[a.length] = value; }
  function dict() { return { __proto__: null }; }
  function join(a, separator) {
    var s = '';
    for (var i = 0; i < a.length; i++) { s += (i ? separator : '') + a[i]; }
    return s;
  }
  // Every string the record keeps is cut: a script must not be able to grow the review.
  function cut(s, max) { return s.length > max ? strSlice(s, 0, max) + '...' : s; }
  function isObject(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }
  // Only primitives go into the record: a value the script made stays out of it.
  function primitive(v) {
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }

  var SCRIPT_FRAME = /user-script\.js:(\d+):(\d+)/;
  var MAX_RECORDED_REQUESTS = 500;  // requests to declared hosts
  var MAX_JUDGED_REQUESTS = 200;  // requests to undeclared hosts (never dropped silently)
  var MAX_URL = 2000, MAX_TEXT = 500;  // characters kept of a URL, of any other string
  var MAX_DYNAMIC_CODE = 20;
  var MAX_RECORDED_COLUMNS = 500;
  var CODE_REFUSED = 'Code generation from strings disallowed';
  var MAX_ROW_SHAPE_EXAMPLES = 5;
  // Check now's preview (Dev Studio shows the data): the first rows, each cell cut short.
  var MAX_PREVIEW_ROWS = 5, MAX_PREVIEW_CELLS = 30, MAX_PREVIEW_CHARS = 120;
  var MAX_TAMPERING = 20;
  var NO_PLACE = { __proto__: null, line: null, column: null };

  // Stack traces give the script's line. V8 asks Error.prepareStackTrace to format them
  // and reads Error.stackTraceLimit when it captures one: while the sandbox captures
  // its own, a prepareStackTrace the script set is not consulted, and the limit is
  // ours (it stays a data property, as V8 ignores an accessor there).
  var capturing = false;
  var scriptPrepareStackTrace;
  $defineProperty($Error, 'prepareStackTrace', {
    __proto__: null, configurable: false, enumerable: false,
    get: function () { return capturing ? undefined : scriptPrepareStackTrace; },
    set: function (value) { scriptPrepareStackTrace = value; }
  });
  $defineProperty($Error, 'stackTraceLimit', { __proto__: null, value: 30, writable: true, configurable: false });

  function scriptPlace(stack) {
    var m = typeof stack === 'string' ? regExec(SCRIPT_FRAME, stack) : null;
    return m === null ? NO_PLACE : { __proto__: null, line: $Number(m[1]), column: $Number(m[2]) };
  }
  function callerPlace() {
    var holder = { __proto__: null };
    var limit = $Error.stackTraceLimit;
    capturing = true;
    try {
      if (limit !== 30) { $Error.stackTraceLimit = 30; }
      $captureStackTrace(holder);
      return scriptPlace(holder.stack);
    } catch (e) {
      return NO_PLACE;
    } finally {
      capturing = false;
      if (limit !== 30) { try { $Error.stackTraceLimit = limit; } catch (e) { /* made read-only */ } }
    }
  }

  // ---- the record (reset by start) ----
  var requests, requestCount, keptJudged, lostJudged, dynamicCode, recordedColumns, rows, shapeCount, shapeExamples;
  var authResult, authMessage, sleepMs, logs, discoveryOptions, discoveryPublished, runError, tampering;
  var previewRows, previewRow;

  function tampered(what, place) {
    for (var i = 0; i < tampering.length; i++) { if (tampering[i].what === what) { return; } }
    if (tampering.length < MAX_TAMPERING) {
      append(tampering, { __proto__: null, what: cut(what, MAX_TEXT), line: place.line, column: place.column });
    }
  }

  // ---- code from strings (dynamic-code) ----
  // V8 runs with --disallow-code-generation-from-strings, so no route compiles a string.
  // These stand-ins for eval and the four function constructors (reached as globals, as
  // `.constructor` of any function, through Reflect.construct, ...) make each attempt a
  // recorded one with its line, even when the script catches the error; an attempt by
  // a route not covered here is recorded from V8's EvalError when it is not caught.
  function refusedCode(what, place) {
    for (var i = 0; i < dynamicCode.length; i++) {
      if (dynamicCode[i].what === what && dynamicCode[i].line === place.line) { return; }
    }
    if (dynamicCode.length < MAX_DYNAMIC_CODE) {
      append(dynamicCode, { __proto__: null, what: cut(what, MAX_TEXT), line: place.line, column: place.column });
    }
  }
  function standIn(what, prototype) {
    var refused = function () {
      refusedCode(what, callerPlace());
      throw new $EvalError(what + ' is refused in the review sandbox: code built from a string cannot be reviewed');
    };
    if (prototype !== null) {
      $defineProperty(refused, 'prototype', { __proto__: null, value: prototype, writable: false });
      $defineProperty(prototype, 'constructor', { __proto__: null, value: refused, writable: true, configurable: true });
    }
    return refused;
  }
  global.eval = standIn('eval', null);
  global.Function = standIn('the Function constructor', FunctionProto);
  standIn('the AsyncFunction constructor', $getPrototypeOf(async function () {}));
  standIn('the GeneratorFunction constructor', $getPrototypeOf(function* () {}));
  standIn('the AsyncGeneratorFunction constructor', $getPrototypeOf(async function* () {}));

  // ---- URLs, hosts and sample matching (bundle-format.md, "The sandbox") ----
  var hosts = list();  // lower-cased host patterns
  var responses = list();  // normalized samples
  var days = null;
  // sandbox_urls.js, handed over by start: hosts as the WHATWG URL Standard reads them.
  var urls = null;
  function parseUrl(url) { return urls.parseUrl(url); }
  function isDeclared(u) { return urls.isDeclared(u, hosts); }
  function plusToSpace(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) { out += s[i] === '+' ? ' ' : s[i]; }
    return out;
  }
  function decode(s) { try { return $decodeURIComponent(plusToSpace(s)); } catch (e) { return s; } }
  function canonical(url) {
    var u = parseUrl(url);
    if (!u) { return url; }
    var pairs = list();
    var query = u.query;
    var from = 0;
    while (from <= query.length && query.length) {
      var end = strIndexOf(query, '&', from);
      if (end < 0) { end = query.length; }
      if (end > from) { append(pairs, decode(strSlice(query, from, end))); }
      from = end + 1;
    }
    listSort(pairs);
    return u.scheme + '://' + u.hostport + u.path + '?' + join(pairs, '&');
  }
  // Samples replay like the API (bundle-format.md): every sample whose method, URL (or
  // url_prefix) and body_contains match is a candidate; candidates answer in the order
  // they are listed, each once, and the last one keeps answering. An API that pages by
  // the request body on one URL, or ends with an empty page, can so be recorded.
  function findSample(method, url, body) {
    var wanted = null;
    var found = null;
    for (var i = 0; i < responses.length; i++) {
      var r = responses[i];
      if (r.method !== method) { continue; }
      if (r.url !== null) {
        if (wanted === null) { wanted = canonical(url); }
        if (r.url !== wanted) { continue; }
      } else if (r.prefix === null || strIndexOf(url, r.prefix) !== 0) {
        continue;
      }
      if (r.bodyContains !== null && strIndexOf(body === null ? '' : body, r.bodyContains) < 0) { continue; }
      found = r;
      if (!r.used) { break; }
    }
    if (found !== null) { found.used = true; }
    return found;
  }
  // Run by start, before the script: the samples as the matching above reads them.
  function normalizeSamples(given) {
    var out = list();
    for (var i = 0; i < (given ? given.length : 0); i++) {
      var r = given[i];
      var hs = dict();
      var headers = r.headers || {};
      for (var k in headers) { hs[strToLowerCase(k)] = $String(headers[k]); }
      append(out, { __proto__: null,
        method: strToUpperCase($String(r.method || 'GET')),
        url: r.url ? canonical($String(r.url)) : null,
        prefix: r.url_prefix ? $String(r.url_prefix) : null,
        bodyContains: r.body_contains === undefined || r.body_contains === null ? null : $String(r.body_contains),
        index: i, used: false,
        status: r.status === undefined ? 200 : r.status,
        headers: hs,
        body: r.body === undefined || r.body === null ? '' : $String(r.body) });
    }
    return out;
  }

  // ---- data flow: what each request carried, and which strings reached the rows ----
  // review/engine/dataflow.py follows the secrets and the received data by value through
  // this record. It is kept apart from `requests` (the table people read) and bounded by
  // size: a run that sends more than it holds loses part of it, and says so (flow_lost),
  // so the review fails closed instead of judging half of what was sent.
  var MAX_FLOW_ENTRIES = 2000, MAX_FLOW_CHARS = 4 * 1024 * 1024, MAX_CELL_STRINGS = 20000;
  var flow, flowChars, flowLost, cellStrings, cellStringCount;
  function recordFlow(method, url, hostport, declared, body, extraHeaders, sample, place) {
    var sent = dict();
    var size = url.length + (body === null ? 0 : body.length);
    var name;
    for (name in headers) { sent[name] = headers[name]; size += name.length + headers[name].length; }
    if (extraHeaders) {
      for (name in extraHeaders) { sent[name] = extraHeaders[name]; size += name.length + extraHeaders[name].length; }
    }
    if (flow.length >= MAX_FLOW_ENTRIES || flowChars + size > MAX_FLOW_CHARS) { flowLost = true; return; }
    flowChars += size;
    if (place === null) { place = callerPlace(); }
    append(flow, { __proto__: null, method: method, url: url, host: hostport, declared: declared,
                   headers: sent, body: body, sample: sample === null ? -1 : sample.index,
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

  // ---- DOMO.log lines: kept for the developer, bounded, the sample secrets masked ----
  var MAX_LOG_LINES = 200, MAX_LOG_CHARS = 500;
  var logLines;
  var masks = list();  // the sample account's secret values in every form the review follows
  function logText(value) {
    if (typeof value === 'string') { return value; }
    if (value === undefined) { return 'undefined'; }
    if (isObject(value)) {
      try { return serializeValue(value, 0); } catch (e) { return '[object]'; }
    }
    return $String(value);
  }
  function mask(text) {
    for (var i = 0; i < masks.length; i++) {
      var secret = masks[i];
      var out = '';
      var from = 0;
      for (var at = strIndexOf(text, secret); at >= 0; at = strIndexOf(text, secret, from)) {
        out += strSlice(text, from, at) + '****';
        from = at + secret.length;
      }
      text = out + strSlice(text, from);
    }
    return text;
  }
  var longestMask = 0;
  function keepLog(args) {
    logs += 1;
    if (logLines.length >= MAX_LOG_LINES) { return; }
    // Masked before the final cut, so a secret split by the cut cannot show half of
    // itself; a first cut past the longest secret keeps a huge argument cheap.
    var keep = MAX_LOG_CHARS + longestMask;
    var parts = list();
    for (var i = 0; i < args.length && i < 100; i++) { append(parts, strSlice(logText(args[i]), 0, keep)); }
    append(logLines, strSlice(mask(strSlice(join(parts, ' '), 0, keep)), 0, MAX_LOG_CHARS));
  }
  // An object the script logs, as JSON-like text: own enumerable data only, depth-bound.
  function serializeValue(v, depth) {
    if (typeof v === 'string') { return quote(v); }
    if (!isObject(v)) { return $String(v); }
    if (depth > 4) { return '...'; }
    if (typeof v === 'function') { return '[function]'; }
    var keys = $keys(v);
    var s = $isArray(v) ? '[' : '{';
    for (var i = 0; i < keys.length && i < 50; i++) {
      var d = $getOwnPropertyDescriptor(v, keys[i]);
      var shown = d && hasOwn(d, 'value') ? serializeValue(d.value, depth + 1) : '[getter]';
      s += (i ? ',' : '') + ($isArray(v) ? '' : quote(keys[i]) + ':') + shown;
      if (s.length > MAX_LOG_CHARS) { break; }
    }
    return s + ($isArray(v) ? ']' : '}');
  }

  // ---- httprequest ----
  var headers = dict();
  var params = list();
  var last = { __proto__: null, status: 0, headers: dict() };
  // Every request is judged (bundle-format.md): ordinary ones are kept up to a cap, a
  // request the review would judge (to an undeclared host) always is, up to a cap of its
  // own; a run that had to drop one of those fails closed as sandbox-tampering.
  function mustKeep(declared) { return !declared; }
  function record(method, url, u, declared, matched, status) {
    var judged = mustKeep(declared);
    if (judged ? keptJudged >= MAX_JUDGED_REQUESTS : requests.length - keptJudged >= MAX_RECORDED_REQUESTS) {
      if (judged) { lostJudged += 1; }
      return null;
    }
    if (judged) { keptJudged += 1; }
    var place = callerPlace();
    append(requests, { __proto__: null, method: method, url: cut(url, MAX_URL), host: u ? cut(u.hostport, 300) : '',
                       declared: declared, matched: matched, line: place.line, column: place.column,
                       status: status });
    return place;
  }
  function send(method, url, body, extraHeaders) {
    url = $String(url);
    body = body === undefined || body === null ? null : $String(body);
    if (params.length) { url += (strIndexOf(url, '?') >= 0 ? '&' : '?') + join(params, '&'); }
    var u = parseUrl(url);
    var declared = u !== null && isDeclared(u);
    var sample = declared ? findSample(method, url, body) : null;
    requestCount += 1;
    var place = record(method, url, u, declared, sample !== null, !declared ? 0 : sample === null ? 404 : sample.status);
    recordFlow(method, url, u ? u.hostport : '', declared, body, extraHeaders, sample, place);
    if (!declared) { last = { __proto__: null, status: 0, headers: dict() }; return ''; }
    if (sample === null) { last = { __proto__: null, status: 404, headers: dict() }; return ''; }
    last = { __proto__: null, status: sample.status, headers: sample.headers };
    cellWindow = CELLS_PER_RESPONSE;
    return sample.body;
  }
  var httprequest = {
    addHeader: function (name, value) { headers[strToLowerCase($String(name))] = $String(value); },
    getHeader: function (name) { return headers[strToLowerCase($String(name))]; },
    clearHeaders: function () { headers = dict(); },
    addParameter: function (name, value) {
      append(params, $encodeURIComponent($String(name)) + '=' + $encodeURIComponent($String(value)));
    },
    clearParameters: function () { params = list(); },
    getStatusCode: function () { return last.status; },
    getResponseHeader: function (name) { return last.headers[strToLowerCase($String(name))]; },
    get: function (url) { return send('GET', url); },
    post: function (url, body) { return send('POST', url, body); },
    put: function (url, body) { return send('PUT', url, body); }
  };

  // ---- datagrid ----
  // The date checks are written out: no regular expression, so no RegExp.prototype.
  function digits(s, from, to) {
    for (var i = from; i < to; i++) { var c = s[i]; if (c < '0' || c > '9') { return false; } }
    return true;
  }
  function isDate(s) {  // yyyy-MM-dd
    return s.length === 10 && digits(s, 0, 4) && s[4] === '-' && digits(s, 5, 7) && s[7] === '-' && digits(s, 8, 10);
  }
  function isDateTime(s) {  // yyyy-MM-dd'T'HH:mm:ss
    return s.length === 19 && isDate(strSlice(s, 0, 10)) && s[10] === 'T' && digits(s, 11, 13) &&
      s[13] === ':' && digits(s, 14, 16) && s[16] === ':' && digits(s, 17, 19);
  }
  var PLAIN = 0, DATE = 1, DATETIME = 2;
  var columns = list();
  var cellIndex = 0;
  function rowShape(message) {
    shapeCount += 1;
    if (shapeExamples.length < MAX_ROW_SHAPE_EXAMPLES) {
      var place = callerPlace();
      append(shapeExamples, { __proto__: null, message: cut(message, MAX_TEXT), line: place.line, column: place.column });
    }
  }
  function addColumn(name, type) {
    var t = type || 'STRING';
    var n = $String(name);
    append(columns, { __proto__: null, name: n, kind: t === 'DATE' ? DATE : t === 'DATETIME' ? DATETIME : PLAIN });
    if (recordedColumns.length < MAX_RECORDED_COLUMNS) {
      var kind = primitive(t);
      append(recordedColumns, { __proto__: null, name: cut(n, MAX_TEXT),
                                type: typeof kind === 'string' ? cut(kind, 40) : kind });
    }
  }
  function previewCell(value) {
    if (value === null || value === undefined) { return ''; }
    return strSlice(typeof value === 'string' ? value : $String(value), 0, MAX_PREVIEW_CHARS);
  }
  function addCell(value) {
    noteCell(value);
    if (rows < MAX_PREVIEW_ROWS && previewRow.length < MAX_PREVIEW_CELLS) { append(previewRow, previewCell(value)); }
    if (columns.length === 0) { rowShape('a cell was added before any column'); cellIndex += 1; return; }
    var column = columns[cellIndex];
    if (column !== undefined && column.kind !== PLAIN && value !== null && value !== undefined && value !== '') {
      var s = typeof value === 'string' ? value : $String(value);
      if (column.kind === DATE ? !isDate(s) : !isDateTime(s)) {
        rowShape('"' + strSlice(s, 0, 40) + '" in ' + (column.kind === DATE ? 'date' : 'datetime') + ' column ' +
                 column.name + ' is not ' + (column.kind === DATE ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm:ss"));
      }
    }
    cellIndex += 1;
  }
  function endRow() {
    if (columns.length !== 0 && cellIndex !== columns.length) {
      rowShape('row ' + (rows + 1) + ' has ' + cellIndex + ' cells for ' + columns.length + ' columns');
    }
    if (rows < MAX_PREVIEW_ROWS) { append(previewRows, previewRow); }
    previewRow = list();
    rows += 1;
    cellIndex = 0;
  }
  // magicParseJSON / magicParseCSV: the first call defines the columns when none were
  // added by hand; numbers become doubles, the rest strings.
  function isNumeric(v) {
    return v === undefined || v === null || v === '' || typeof v === 'number' ||
      (typeof v === 'string' && strTrim(v) !== '' && !$isNaN($Number(v)));
  }
  function defineColumns(records, keys) {
    for (var k = 0; k < keys.length; k++) {
      var key = keys[k];
      var numeric = records.length > 0;
      for (var i = 0; numeric && i < records.length; i++) { numeric = isNumeric(records[i][key]); }
      addColumn(key, numeric ? 'DOUBLE' : 'STRING');
    }
  }
  function ownKeys(record) { return isObject(record) ? $keys(record) : []; }
  function addRecords(records, keys) {
    if (!columns.length) { defineColumns(records, keys); }
    var known = dict();
    for (var c = 0; c < columns.length; c++) { known[columns[c].name] = true; }
    for (var i = 0; i < records.length; i++) {
      var recordKeys = ownKeys(records[i]);
      for (var j = 0; j < recordKeys.length; j++) {
        noteCell(records[i][recordKeys[j]]);
        if (!known[recordKeys[j]]) { rowShape('row ' + (rows + 1) + ' has key "' + recordKeys[j] + '" that is not a column'); }
      }
      if (rows < MAX_PREVIEW_ROWS) {
        var cells = list();
        for (var p = 0; p < columns.length && p < MAX_PREVIEW_CELLS; p++) {
          append(cells, previewCell(isObject(records[i]) ? records[i][columns[p].name] : undefined));
        }
        append(previewRows, cells);
      }
      rows += 1;
    }
  }
  function magicParseJSON(input) {
    var data = typeof input === 'string' ? $parse(input) : input;
    if (!$isArray(data)) { throw new $TypeError('datagrid.magicParseJSON expects a JSON array of objects'); }
    var keys = list();
    var seen = dict();
    for (var i = 0; i < data.length; i++) {
      var recordKeys = ownKeys(data[i]);
      for (var j = 0; j < recordKeys.length; j++) {
        var k = recordKeys[j];
        if (!seen[k]) { seen[k] = true; append(keys, k); }
      }
    }
    addRecords(data, keys);
  }
  function splitCsvLine(line) {
    var cells = list();
    var cell = '';
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') { quoted = false; } else { cell += ch; }
      } else if (ch === '"') { quoted = true; } else if (ch === ',') { append(cells, cell); cell = ''; } else { cell += ch; }
    }
    append(cells, cell);
    return cells;
  }
  function csvLines(text) {  // the non-empty lines, split at \n or \r\n
    var lines = list();
    var from = 0;
    while (from < text.length) {
      var end = strIndexOf(text, '\n', from);
      if (end < 0) { end = text.length; }
      var stop = end < text.length && end > from && text[end - 1] === '\r' ? end - 1 : end;
      if (stop > from) { append(lines, strSlice(text, from, stop)); }
      from = end + 1;
    }
    return lines;
  }
  function magicParseCSV(text) {
    var lines = csvLines($String(text));
    if (!lines.length) { return; }
    var header = splitCsvLine(lines[0]);
    var records = list();
    for (var i = 1; i < lines.length; i++) {
      var cells = splitCsvLine(lines[i]);
      var record = dict();
      for (var c = 0; c < cells.length; c++) { record[c < header.length ? header[c] : '(column ' + (c + 1) + ')'] = cells[c]; }
      append(records, record);
    }
    addRecords(records, header);
  }
  function DatagridError(code, message) { this.name = 'datagrid.error'; this.message = code + ': ' + message; }
  var datagrid = {
    DATA_TYPE_STRING: 'STRING', DATA_TYPE_DOUBLE: 'DOUBLE', DATA_TYPE_LONG: 'LONG',
    DATA_TYPE_DECIMAL: 'DECIMAL', DATA_TYPE_BOOLEAN: 'BOOLEAN',
    DATA_TYPE_DATETIME: 'DATETIME', DATA_TYPE_DATE: 'DATE',
    addColumn: addColumn, addCell: addCell, endRow: endRow,
    magicParseJSON: magicParseJSON, magicParseCSV: magicParseCSV, magicParseXML: magicParseXML,
    error: function (code, message) {
      var e = new DatagridError(code, message);
      e.stack = new $Error().stack;
      throw e;
    }
  };

  // @@HELPERS@@

  // ---- DOMO ----
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function code(s, i) { var c = strCharCodeAt(s, i); return c === c ? c : 0; }
  function b64encode(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (code(bytes, i) << 16) | (code(bytes, i + 1) << 8) | code(bytes, i + 2);
      s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] +
        (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return s;
  }
  function b64index(ch) { return ch === undefined ? -1 : strIndexOf(B64, ch); }
  function b64decode(text) {
    var given = $String(text);
    var clean = '';
    for (var k = 0; k < given.length; k++) { if (strIndexOf(B64, given[k]) >= 0) { clean += given[k]; } }
    var bytes = '';
    for (var i = 0; i < clean.length; i += 4) {
      var n = (b64index(clean[i]) << 18) | (b64index(clean[i + 1]) << 12) |
        ((b64index(clean[i + 2]) & 63) << 6) | (b64index(clean[i + 3]) & 63);
      bytes += $fromCharCode((n >> 16) & 255);
      if (i + 2 < clean.length) { bytes += $fromCharCode((n >> 8) & 255); }
      if (i + 3 < clean.length) { bytes += $fromCharCode(n & 255); }
    }
    return bytes;
  }
  function dateValue(value, key) {
    if (value && typeof value === 'object') { return value[key]; }
    if (typeof value === 'string') { return value; }
    var d = new $Date($dateNow() - (key === 'start' ? (days || 0) * 86400000 : 0));
    return strSlice(dateToISOString(d), 0, 10);
  }
  var state = dict();
  var DOMO = {
    log: function () { keepLog(arguments); },
    sleep: function (ms) { sleepMs += $max(0, $Number(ms) || 0); },
    b64EncodeUnicode: function (s) { return b64encode($unescape($encodeURIComponent($String(s)))); },
    b64DecodeUnicode: function (s) { return $decodeURIComponent($escape(b64decode(s))); },
    getState: function (key) { return state[key]; },
    setState: function (key, value) { state[key] = value; },
    getStartDate: function (value) { return dateValue(value, 'start'); },
    getEndDate: function (value) { return dateValue(value, 'end'); },
    md5: domoHelpers.md5, hmacSHA1: domoHelpers.hmacSHA1, hmacSHA256: domoHelpers.hmacSHA256,
    parseXML: domoHelpers.parseXML, getJWT: domoHelpers.getJWT,
    // The script fills in (or replaces) the builder; getJWT reads it when called.
    jwtBuilder: { algorithm: 'HS256', authKey: null, issuer: null, subject: null, claims: {}, expiration: 3600 }
  };

  // ---- auth, discovery ----
  var auth = {
    authenticationSuccess: function () { authResult = 'success'; },
    authenticationFailed: function (message) { authResult = 'failed'; authMessage = cut($String(message), MAX_TEXT); }
  };
  function addChild(parent, child) {
    var children = (parent || discovery.tree).children;
    children[children.length] = child;
  }
  var discovery = {
    tree: { name: '(root)', children: [] },
    addOption: function (name, value) { discoveryOptions += 1; },
    addNode: function (parent, name) {
      var node = { name: $String(name), children: [] };
      addChild(parent, node);
      return node;
    },
    addLeaf: function (parent, name, value) {
      addChild(parent, { name: $String(name), value: value });
      discoveryOptions += 1;
    },
    publishTree: function () { discoveryPublished = true; }
  };

  // A helper Domo documents but this sandbox does not provide throws an error that
  // names it, instead of a bare "undefined is not a function". What the sandbox
  // provides cannot be assigned, redefined or deleted, and trying is recorded; the
  // script may still add members of its own (`tree` stays the script's to replace).
  function guarded(name, target, open) {
    var provided = dict();
    var own = $keys(target);
    for (var i = 0; i < own.length; i++) {
      if (own[i] !== open) {
        provided[own[i]] = true;
        $defineProperty(target, own[i], { __proto__: null, writable: false, configurable: false });
      }
    }
    function isProvided(prop) { return typeof prop === 'string' && provided[prop] === true; }
    return new $Proxy(target, {
      __proto__: null,
      get: function (obj, prop) {
        if (prop in obj || typeof prop === 'symbol' || prop === 'toJSON' || prop === 'then') { return obj[prop]; }
        return function () { throw new $Error(name + '.' + $String(prop) + ' is not provided by the review sandbox'); };
      },
      set: function (obj, prop, value) {
        if (isProvided(prop)) { tampered('assigned ' + name + '.' + prop, callerPlace()); return false; }
        return $reflectSet(obj, prop, value);
      },
      defineProperty: function (obj, prop, descriptor) {
        if (isProvided(prop)) { tampered('redefined ' + name + '.' + prop, callerPlace()); return false; }
        return $reflectDefineProperty(obj, prop, descriptor);
      },
      deleteProperty: function (obj, prop) {
        if (isProvided(prop)) { tampered('deleted ' + name + '.' + prop, callerPlace()); return false; }
        return $reflectDeleteProperty(obj, prop);
      }
    });
  }
  var stubs = {
    __proto__: null,
    httprequest: guarded('httprequest', httprequest),
    datagrid: guarded('datagrid', datagrid),
    DOMO: guarded('DOMO', DOMO, 'jwtBuilder'),
    sql: guarded('sql', sql),
    aws: guarded('aws', aws),
    auth: guarded('auth', auth),
    discovery: guarded('discovery', discovery, 'tree')
  };

  // ---- timers ----
  // Callbacks run after the script's own code, in the order of their delays, within
  // the run's CPU-time limit: work deferred with setTimeout is part of the run, not
  // something that happens after its record was taken.
  var timers = list();
  var timerId = 0;
  var clock = 0;
  function schedule(fn, delay, args, repeat) {
    timerId += 1;
    var wait = $max(0, $Number(delay) || 0);
    var extra = list();
    for (var i = 2; i < args.length; i++) { append(extra, args[i]); }
    var label = (repeat ? 'setInterval' : 'setTimeout') + ' with a string';
    var place = typeof fn === 'function' ? NO_PLACE : callerPlace();
    append(timers, { __proto__: null, id: timerId, fn: fn, wait: wait, due: clock + wait, args: extra,
                     repeat: repeat, cleared: false, label: label, place: place });
    return timerId;
  }
  function clear(id) {
    for (var i = 0; i < timers.length; i++) { if (timers[i].id === id) { timers[i].cleared = true; } }
  }
  function nextTimer() {
    var best = -1;
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      if (!t.cleared && (best < 0 || t.due < timers[best].due || (t.due === timers[best].due && t.id < timers[best].id))) { best = i; }
    }
    if (best < 0) { timers = list(); return null; }
    var found = timers[best];
    if (!found.repeat) { found.cleared = true; }
    return found;
  }
  function settle() {
    var ran = 0;
    for (var t = nextTimer(); t !== null; t = nextTimer()) {
      clock = t.due;
      if (t.repeat) { t.due = clock + $max(1, t.wait); }
      ran += 1;
      try {
        if (typeof t.fn === 'function') { fnApply(t.fn, undefined, t.args); } else { refusedCode(t.label, t.place); }
      } catch (e) {
        if (runError === null) { recordError(e); }
      }
    }
    return ran;
  }
  var timerGlobals = {
    setTimeout: function (fn, delay) { return schedule(fn, delay, arguments, false); },
    setInterval: function (fn, delay) { return schedule(fn, delay, arguments, true); },
    clearTimeout: function (id) { clear(id); },
    clearInterval: function (id) { clear(id); }
  };

  // ---- what a recorder relies on, as it was before the script ran ----
  function slot(owner, key, label) {
    return { __proto__: null, owner: owner, key: key, label: label, value: owner[key] };
  }
  var WATCHED = [
    slot($JSON, 'stringify', 'JSON.stringify'), slot($JSON, 'parse', 'JSON.parse'),
    slot(FunctionProto, 'call', 'Function.prototype.call'), slot(FunctionProto, 'apply', 'Function.prototype.apply'),
    slot(FunctionProto, 'bind', 'Function.prototype.bind'),
    slot($Object, 'defineProperty', 'Object.defineProperty'),
    slot($Object, 'defineProperties', 'Object.defineProperties'),
    slot($Object, 'getOwnPropertyDescriptor', 'Object.getOwnPropertyDescriptor'),
    slot($Object, 'setPrototypeOf', 'Object.setPrototypeOf'), slot($Object, 'freeze', 'Object.freeze'),
    slot(Array.prototype, 'push', 'Array.prototype.push'),
    slot(RegExp.prototype, 'exec', 'RegExp.prototype.exec'), slot(RegExp.prototype, 'test', 'RegExp.prototype.test'),
    slot(String.prototype, 'toLowerCase', 'String.prototype.toLowerCase'),
    slot(String.prototype, 'slice', 'String.prototype.slice'),
    slot(String.prototype, 'lastIndexOf', 'String.prototype.lastIndexOf'),
    slot(global, 'JSON', 'JSON'), slot(global, 'Object', 'Object'), slot(global, 'Array', 'Array'),
    slot(global, 'Function', 'Function'), slot(global, 'Proxy', 'Proxy')
  ];
  var TO_JSON_OWNERS = [
    slot(Object.prototype, 'toJSON', 'Object.prototype'), slot(Array.prototype, 'toJSON', 'Array.prototype'),
    slot(String.prototype, 'toJSON', 'String.prototype'), slot(Number.prototype, 'toJSON', 'Number.prototype'),
    slot(Boolean.prototype, 'toJSON', 'Boolean.prototype')
  ];
  function accessorNames(owner) {
    var names = dict();
    var all = $getOwnPropertyNames(owner);
    for (var i = 0; i < all.length; i++) {
      var d = $getOwnPropertyDescriptor(owner, all[i]);
      if (hasOwn(d, 'get') || hasOwn(d, 'set')) { names[all[i]] = true; }
    }
    return names;
  }
  var ACCESSOR_OWNERS = [
    { __proto__: null, owner: Object.prototype, label: 'Object.prototype', before: accessorNames(Object.prototype) },
    { __proto__: null, owner: Array.prototype, label: 'Array.prototype', before: accessorNames(Array.prototype) }
  ];
  // Adding a method a prototype lacks (a polyfill) is not tampering, nor is replacing
  // one of the newer methods that old code polyfills unconditionally (trim, includes,
  // ...): only these, which no honest script has a reason to touch, are.
  function checkBuiltins() {
    var i, d;
    for (i = 0; i < WATCHED.length; i++) {
      var w = WATCHED[i];
      d = $getOwnPropertyDescriptor(w.owner, w.key);
      if (d === undefined || !hasOwn(d, 'value') || d.value !== w.value) { tampered('replaced ' + w.label, NO_PLACE); }
    }
    for (i = 0; i < TO_JSON_OWNERS.length; i++) {
      if (hasOwn(TO_JSON_OWNERS[i].owner, 'toJSON')) { tampered('defined ' + TO_JSON_OWNERS[i].label + '.toJSON', NO_PLACE); }
    }
    for (i = 0; i < ACCESSOR_OWNERS.length; i++) {
      var a = ACCESSOR_OWNERS[i];
      var names = $getOwnPropertyNames(a.owner);
      for (var j = 0; j < names.length; j++) {
        d = $getOwnPropertyDescriptor(a.owner, names[j]);
        if ((hasOwn(d, 'get') || hasOwn(d, 'set')) && a.before[names[j]] !== true) {
          tampered('defined a getter or setter for ' + a.label + '[' + quote(names[j]) + ']', NO_PLACE);
        }
      }
    }
  }

  // ---- the record as JSON, without JSON.stringify ----
  var HEX = '0123456789abcdef';
  var ESCAPES = { __proto__: null, 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  var NEEDS_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/;
  function quote(s) {
    // Most strings (URLs, cells, names) need no escape: one native scan says so.
    if (regExec(NEEDS_ESCAPE, s) === null) { return '"' + s + '"'; }
    var out = '"';
    var from = 0;
    for (var i = 0; i < s.length; i++) {
      var c = strCharCodeAt(s, i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
        out += strSlice(s, from, i) + (ESCAPES[c] ||
          '\\u' + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15]);
        from = i + 1;
      }
    }
    return out + strSlice(s, from) + '"';
  }
  // Strings, finite numbers, booleans, null, and the record's own arrays and objects.
  function serialize(v) {
    if (typeof v === 'string') { return quote(v); }
    if (typeof v === 'number') { return v === v && v !== 1 / 0 && v !== -1 / 0 ? '' + v : 'null'; }
    if (typeof v === 'boolean') { return v ? 'true' : 'false'; }
    if (v === null || typeof v !== 'object') { return 'null'; }
    var s, i;
    if ($isArray(v)) {
      s = '[';
      for (i = 0; i < v.length; i++) { s += (i ? ',' : '') + serialize(v[i]); }
      return s + ']';
    }
    var keys = $keys(v);
    s = '{';
    for (i = 0; i < keys.length; i++) { s += (i ? ',' : '') + quote(keys[i]) + ':' + serialize(v[keys[i]]); }
    return s + '}';
  }

  function readError(e) {
    var name = 'Error';
    var message;
    var place = NO_PLACE;
    capturing = true;
    try {
      place = scriptPlace(e !== null && e !== undefined ? e.stack : undefined);
      name = (e && e.name) || 'Error';
      message = (e && e.message !== undefined) ? e.message : e;
      message = $String(message);
      name = $String(name);
    } catch (again) {
      message = 'the script threw a value the sandbox could not read';
      name = typeof name === 'string' ? name : 'Error';
    } finally {
      capturing = false;
    }
    return { __proto__: null, name: cut(name, MAX_TEXT), message: cut(message, MAX_TEXT), line: place.line,
             column: place.column };
  }
  function recordError(e) {
    runError = readError(e);
    if (strIndexOf(runError.message, CODE_REFUSED) >= 0) {
      refusedCode('code built from a string (V8 refused to compile it)', runError);
    }
  }

  var started = false;
  // The entry points; evaluating this file returns them to the worker, and only to it.
  return {
    __proto__: null,
    start: function (setupJson, urlParser) {
      if (started) { throw new $Error('the sandbox was started twice'); }
      started = true;
      urls = urlParser;
      var setup = $parse(setupJson);
      var given = setup.hosts || [];
      for (var i = 0; i < given.length; i++) { append(hosts, strToLowerCase($String(given[i]))); }
      responses = normalizeSamples(setup.responses);
      days = setup.days;
      requests = list(); requestCount = 0; keptJudged = 0; lostJudged = 0; dynamicCode = list(); recordedColumns = list(); rows = 0;
      shapeCount = 0; shapeExamples = list(); authResult = null; authMessage = null;
      sleepMs = 0; logs = 0; discoveryOptions = 0; discoveryPublished = false; runError = null;
      tampering = list(); previewRows = list(); previewRow = list();
      flow = list(); flowChars = 0; flowLost = false; cellStrings = dict(); cellStringCount = 0;
      cellWindow = CELLS_PER_RESPONSE;
      logLines = list();
      var secrets = setup.masks || [];
      for (var m = 0; m < secrets.length; m++) {
        if (secrets[m]) { append(masks, $String(secrets[m])); longestMask = $max(longestMask, masks[masks.length - 1].length); }
      }
      var parameters = setup.parameters || {};
      global.metadata = { account: setup.account || {}, report: setup.report,
                          parameters: parameters, parameter: parameters, days: setup.days,
                          baseurl: setup.baseurl || 'https://api.domo.com' };
      for (var name in stubs) { global[name] = stubs[name]; }
      for (var timer in timerGlobals) { global[timer] = timerGlobals[timer]; }
      // mini-racer's own timers would run a callback after the record is taken.
      global.__timer_manager = undefined;
      // Not part of Domo's runtime, and each a way around the record or the memory limit
      // (a WebAssembly.Memory lives outside the heap; Atomics.wait blocks without CPU).
      delete global.WebAssembly; delete global.SharedArrayBuffer; delete global.Atomics;
    },
    // The worker compiles and runs the script itself (V8 refuses code from strings, so
    // no eval here); an error its top level threw comes back as text through this.
    threw: function (name, message, line, column) {
      if (runError !== null) { return; }
      var place = { __proto__: null, line: line > 0 ? line : null, column: column > 0 ? column : null };
      runError = { __proto__: null, name: cut($String(name), MAX_TEXT), message: cut($String(message), MAX_TEXT),
                   line: place.line, column: place.column };
      if (strIndexOf(runError.message, CODE_REFUSED) >= 0) {
        refusedCode('code built from a string (V8 refused to compile it)', place);
      }
    },
    // Timers, and timers set by promise callbacks, which V8 runs after each call returns.
    settle: settle,
    // The record as JSON; unless `final`, the number of timers still to run (the
    // worker then calls `settle` and asks again) when there are some.
    result: function (final) {
      if (!final) {
        var pending = 0;
        for (var i = 0; i < timers.length; i++) { if (!timers[i].cleared) { pending += 1; } }
        if (pending) { return pending; }
      }
      checkBuiltins();
      return serialize({
        __proto__: null, requests: requests, request_count: requestCount, columns: recordedColumns, rows: rows,
        row_shape: { __proto__: null, count: shapeCount, examples: shapeExamples },
        auth: authResult, auth_message: authMessage, sleep_ms: sleepMs, logs: logs,
        discovery_options: discoveryOptions, discovery_published: discoveryPublished, error: runError,
        tampering: tampering, log_lines: logLines, preview: previewRows,
        flow: flow, flow_lost: flowLost, cells: cellStringList(),
        dynamic_code: dynamicCode, lost_requests: lostJudged
      });
    }
  };
})(this);
