// Part of the sandbox runtime: URLs, hosts and sample matching, the data-flow record, DOMO.log lines, httprequest. Not a script on its own: sandbox_worker.py puts
// it at its @@INCLUDE@@ line inside sandbox_runtime.js's closure, where it shares the
// built-ins captured before any connector code runs. Split out to keep each file readable.
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
