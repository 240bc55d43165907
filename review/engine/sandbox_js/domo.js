// DOMO: base64, dates, state, logs, the hashes and the XML helper. A module of the
// sandbox runtime (review/engine/sandbox_runtime.py assembles them).
function makeDomo({ $String, $Number, $Date, $max, reviewToday, noteSleep, observe, $unescape, $escape, $encodeURIComponent,
                    $decodeURIComponent, strSlice, dateToISOString, dict, keepLog, b64encode, b64decode, toHex, md5,
                    sha1, sha256, hmac, utf8Bytes, getJWT, parseXML }) {
  var days = null, sleepMs = 0;
  // ---- DOMO ----
  function dateValue(value, key) {
    if (value && typeof value === 'object') { return value[key]; }
    if (typeof value === 'string') { return value; }
    var d = new $Date(reviewToday() - (key === 'start' ? (days || 0) * 86400000 : 0));
    return strSlice(dateToISOString(d), 0, 10);
  }
  var state = dict();
  var DOMO = {
    log: function () { keepLog(arguments); },
    sleep: function (ms) { var wait = $max(0, $Number(ms) || 0); sleepMs += wait; noteSleep(wait); },
    b64EncodeUnicode: function (s) { return b64encode($unescape($encodeURIComponent($String(s)))); },
    b64DecodeUnicode: function (s) { return $decodeURIComponent($escape(b64decode(s))); },
    getState: function (key) { return state[key]; },
    setState: function (key, value) { state[key] = value; },
    getStartDate: function (value) { return dateValue(value, 'start'); },
    getEndDate: function (value) { return dateValue(value, 'end'); },
    md5: function (text) { return toHex(md5(utf8Bytes(text))); },
    hmacSHA1: function (text, key) { return toHex(hmac(sha1, utf8Bytes(key), utf8Bytes(text))); },
    hmacSHA256: function (text, key) { return toHex(hmac(sha256, utf8Bytes(key), utf8Bytes(text))); },
    parseXML: parseXML,
    getJWT: function () { return getJWT(DOMO.jwtBuilder); },
    // The script fills in (or replaces) the builder; getJWT reads it when called.
    jwtBuilder: { algorithm: 'HS256', authKey: null, issuer: null, subject: null, claims: {}, expiration: 3600 }
  };

  var domoPart = {
    reset: function (setup) { days = setup.days; sleepMs = 0; },
    report: function (record) { record.sleep_ms = sleepMs; }
  };
  return { DOMO: DOMO, domoPart: domoPart };
}
