// The declared hosts and the sample responses a request is answered from
// (bundle-format.md, "The sandbox"). A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them); `samplesPart.reset` takes the
// run's setup before the script runs.
function makeSampleReplay({ $String, $decodeURIComponent, strIndexOf, strSlice, strToLowerCase, strToUpperCase,
                            listSort, list, append, dict, join, parseUrl, isDeclared }) {
  // ---- URLs, hosts and sample matching (bundle-format.md, "The sandbox") ----
  var hosts = list();  // lower-cased host patterns
  var responses = list();  // normalized samples
  // Hosts as the WHATWG URL Standard reads them (url_hosts.js).
  function isDeclaredHost(u) { return isDeclared(u, hosts); }
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
  // In the review's secret variant the samples were recorded with the sample secrets:
  // a request is matched as if it carried them (each [variant form, sample form] pair
  // is swapped back), so the fresh secret changes what is sent, never which sample
  // answers. Only the matching sees this; the record keeps what was sent.
  var aliases = list();
  function unaliased(s) {
    if (s === null) { return s; }
    for (var i = 0; i < aliases.length; i++) {
      var from = aliases[i][0], to = aliases[i][1];
      var out = '', at = 0;
      for (var hit = strIndexOf(s, from); hit >= 0; hit = strIndexOf(s, from, at)) {
        out += strSlice(s, at, hit) + to;
        at = hit + from.length;
      }
      s = out + strSlice(s, at);
    }
    return s;
  }
  function findSample(method, url, body) {
    if (aliases.length) { url = unaliased(url); body = unaliased(body); }
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
  // The samples as the matching above reads them.
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

  var samplesPart = {
    reset: function (setup) {
      var given = setup.hosts || [];
      for (var i = 0; i < given.length; i++) { append(hosts, strToLowerCase($String(given[i]))); }
      responses = normalizeSamples(setup.responses);
      aliases = list();
      var pairs = setup.replay_aliases || [];
      for (var j = 0; j < pairs.length; j++) {
        if (pairs[j][0]) { append(aliases, [$String(pairs[j][0]), $String(pairs[j][1])]); }
      }
    },
    report: function () {}
  };
  return { isDeclaredHost: isDeclaredHost, findSample: findSample, samplesPart: samplesPart };
}
