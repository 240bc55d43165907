// Part of the sandbox runtime: DOMO: base64, dates and the small helpers. Not a script on its own: sandbox_worker.py puts
// it at its @@INCLUDE@@ line inside sandbox_runtime.js's closure, where it shares the
// built-ins captured before any connector code runs. Split out to keep each file readable.
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
