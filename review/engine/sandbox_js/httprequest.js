// httprequest: every request recorded and judged, answered from the samples.
// A module of the sandbox runtime (review/engine/sandbox_runtime.py assembles them).
function makeHttprequest({ $String, $encodeURIComponent, strIndexOf, strToLowerCase, list, append, dict, join, cut,
                           callerPlace, parseUrl, isDeclaredHost, findSample, recordFlow, responseAnswered,
                           liveOn, liveRequest }) {
  var MAX_RECORDED_REQUESTS = 500;  // requests to declared hosts
  var MAX_JUDGED_REQUESTS = 200;  // requests to undeclared hosts (never dropped silently)
  var MAX_URL = 2000;  // characters kept of a URL
  var requests = list(), requestCount = 0, keptJudged = 0, lostJudged = 0;
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
    var declared = u !== null && isDeclaredHost(u);
    if (liveOn()) { return sendLive(method, url, u, declared, body, extraHeaders); }
    var sample = declared ? findSample(method, url, body) : null;
    requestCount += 1;
    var place = record(method, url, u, declared, sample !== null, !declared ? 0 : sample === null ? 404 : sample.status);
    recordFlow(method, url, u ? u.hostport : '', declared, headers, body, extraHeaders, sample, place);
    if (!declared) { last = { __proto__: null, status: 0, headers: dict() }; return ''; }
    if (sample === null) { last = { __proto__: null, status: 404, headers: dict() }; return ''; }
    last = { __proto__: null, status: sample.status, headers: sample.headers };
    responseAnswered();
    return sample.body;
  }
  // A live run (live_network.js): the request goes out under the egress policy, which
  // judges it again in Python; a refusal is status 0 with the reason in the run's log.
  function sendLive(method, url, u, declared, body, extraHeaders) {
    var sent = dict();
    for (var name in headers) { sent[name] = headers[name]; }
    for (var extra in extraHeaders || {}) { sent[strToLowerCase($String(extra))] = $String(extraHeaders[extra]); }
    requestCount += 1;
    var answer = liveRequest(method, url, sent, body);
    record(method, url, u, declared, answer.error === null, answer.status);
    last = { __proto__: null, status: answer.status, headers: answer.headers };
    return answer.body;
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

  var requestsPart = {
    reset: function () { requests = list(); requestCount = 0; keptJudged = 0; lostJudged = 0; },
    report: function (record) {
      record.requests = requests; record.request_count = requestCount; record.lost_requests = lostJudged;
    }
  };
  return { httprequest: httprequest, send: send, requestsPart: requestsPart };
}
