// DOMO.log: every call counted, the lines kept for the developer, bounded, with the
// sample secrets masked. A module of the sandbox runtime (review/engine/sandbox_runtime.py
// assembles them).
function makeLogLines({ $String, $keys, $isArray, $max, $getOwnPropertyDescriptor, hasOwn, strIndexOf, strSlice,
                        list, append, join, isObject, quote, observe }) {
  // ---- DOMO.log lines: kept for the developer, bounded, the sample secrets masked ----
  var MAX_LOG_LINES = 200, MAX_LOG_CHARS = 500;
  var logs = 0, logLines;
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
    // What was logged, unmasked, for the comparison of runs (a line that changes with
    // the secret depends on it, whatever form it took): bounded like the kept lines.
    var seen = list();
    for (var k = 0; k < args.length && k < 100; k++) { append(seen, strSlice(logText(args[k]), 0, 4 * MAX_LOG_CHARS)); }
    observe('logs', join(seen, ' '));
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

  var logsPart = {
    reset: function (setup) {
      logs = 0;
      logLines = list();
      var secrets = setup.masks || [];
      for (var m = 0; m < secrets.length; m++) {
        if (secrets[m]) { append(masks, $String(secrets[m])); longestMask = $max(longestMask, masks[masks.length - 1].length); }
      }
    },
    report: function (record) { record.logs = logs; record.log_lines = logLines; }
  };
  return { keepLog: keepLog, logsPart: logsPart };
}
