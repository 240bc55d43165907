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

  // @@INCLUDE sandbox_requests.js@@

  // @@INCLUDE sandbox_datagrid.js@@

  // @@INCLUDE sandbox_crypto.js@@
  // @@INCLUDE sandbox_helpers.js@@

  // @@INCLUDE sandbox_domo.js@@

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

  // @@INCLUDE sandbox_timers.js@@

  // @@INCLUDE sandbox_integrity.js@@

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
