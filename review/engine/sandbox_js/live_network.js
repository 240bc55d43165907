// Live network for a live run (docs/design.md, "Live runs"): when the run's setup says
// `live`, httprequest asks Python instead of the samples, and every datagrid row is
// streamed out for the run's CSV. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them); unused by the review.
//
// Python's side is review/engine/live_bridge.py. The two share one ArrayBuffer (the
// mailbox) and one callback that Python answers synchronously, before the call returns:
// [int32 header length][int32 body length][header, UTF-16][body, UTF-16], both ways.
function makeLiveNetwork({ $Error, $String, $parse, hasOwn, list, append }) {
  var $ArrayBuffer = ArrayBuffer, $Int32Array = Int32Array, $Uint16Array = Uint16Array;
  var $fromCharCode = String.fromCharCode, $stringify = JSON.stringify, $apply = Reflect.apply;
  var $subarray = Uint16Array.prototype.subarray, $getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var stringProto = String.prototype, $charCodeAt = String.prototype.charCodeAt;
  // Bound once, now: the script replacing charCodeAt or Function.prototype.call later changes neither.
  var charCodeAt = Function.prototype.call.bind($charCodeAt);
  var CHUNK = 8192, ROWS_PER_BATCH = 500, CHARS_PER_BATCH = 1 << 20;
  var live = false, call = null, box = null, lengths = null, units = null, capacity = 0;
  var batch = list(), batchChars = 0, row = list(), rowsSent = 0;

  function connectLive(callback, bytes) {
    call = callback;
    box = new $ArrayBuffer(bytes);
    lengths = new $Int32Array(box, 0, 2);
    units = new $Uint16Array(box, 8);
    capacity = (bytes - 8) / 2;
    return box;
  }
  function put(at, text) {
    if (at + text.length > capacity) { return -1; }
    // While String.prototype.charCodeAt is still the original data property, calling it on
    // a primitive string runs no script code, and is about 5 times faster than the bound call.
    var own = $getOwnPropertyDescriptor(stringProto, 'charCodeAt');
    var i;
    if (own !== undefined && hasOwn(own, 'value') && own.value === $charCodeAt) {
      for (i = 0; i < text.length; i++) { units[at + i] = text.charCodeAt(i); }
    } else {
      for (i = 0; i < text.length; i++) { units[at + i] = charCodeAt(text, i); }
    }
    return text.length;
  }
  function take(at, n) {
    var out = '';
    for (var i = 0; i < n; i += CHUNK) {
      out += $apply($fromCharCode, null, $apply($subarray, units, [at + i, at + (i + CHUNK < n ? i + CHUNK : n)]));
    }
    return out;
  }
  // One exchange: a header object and a body string out, the same back.
  function exchange(header, body) {
    var head = $stringify(header), text = body === null || body === undefined ? '' : $String(body);
    if (put(0, head) < 0 || put(head.length, text) < 0) {
      return { __proto__: null, header: { __proto__: null, error: 'the request is too large for the sandbox' }, body: '' };
    }
    lengths[0] = head.length; lengths[1] = text.length;
    call();
    var headLength = lengths[0], bodyLength = lengths[1];
    return { __proto__: null, header: $parse(take(0, headLength)), body: take(headLength, bodyLength) };
  }
  // A request: { status, headers, body } or { error } (the policy's refusal).
  function liveRequest(method, url, headers, body) {
    var sent = { __proto__: null };
    for (var name in headers) { sent[name] = headers[name]; }
    var reply = exchange({ kind: 'request', method: method, url: url, headers: sent }, body);
    var answer = { __proto__: null, status: reply.header.status || 0, headers: { __proto__: null },
                   body: reply.body, error: reply.header.error || null };
    var got = reply.header.headers || {};
    for (var key in got) { answer.headers[key] = $String(got[key]); }
    return answer;
  }
  function flushRows(last) {
    if (!batch.length) { return; }
    var sending = batch;
    batch = list(); batchChars = 0;
    var reply = exchange({ kind: 'rows', count: sending.length }, $stringify(sending));
    // The run's result has a size limit (the CSV): past it the script stops here.
    // (Not at the end, in `result`: the exchange has kept the flag the run's outcome reads.)
    if (reply.header.error && !last) { throw new $Error($String(reply.header.error)); }
  }
  function liveCell(value) {
    if (!live) { return; }
    var text = value === null || value === undefined ? '' : typeof value === 'string' ? value : $String(value);
    append(row, text);
    batchChars += text.length + 4;
  }
  function liveEndRow() {
    if (!live) { return; }
    append(batch, row);
    row = list();
    rowsSent += 1;
    if (batch.length >= ROWS_PER_BATCH || batchChars >= CHARS_PER_BATCH) { flushRows(); }
  }
  function liveOn() { return live; }

  var livePart = {
    reset: function (setup) { live = !!setup.live && call !== null; batch = list(); row = list(); rowsSent = 0; },
    report: function (record) {
      if (!live) { return; }
      flushRows(true);
      record.live_rows = rowsSent;
    }
  };
  return { connectLive: connectLive, liveOn: liveOn, liveRequest: liveRequest, liveCell: liveCell,
           liveEndRow: liveEndRow, livePart: livePart };
}
