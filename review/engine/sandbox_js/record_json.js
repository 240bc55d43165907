// The record as JSON, without JSON.stringify: never calls toJSON or any method the
// script could have replaced. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them).
function makeRecordJson({ regExec, strCharCodeAt, strSlice, $isArray, $keys }) {
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

  return { HEX: HEX, quote: quote, serialize: serialize };
}
