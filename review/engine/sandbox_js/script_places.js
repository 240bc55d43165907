// The script's line and column, read from stack traces, and a thrown value read safely.
// A module of the sandbox runtime (review/engine/sandbox_runtime.py assembles them).
//
// The user's script is evaluated with "//# sourceURL=user-script.js" so that stack
// frames of the script can be told apart from the runtime's frames. V8 asks
// Error.prepareStackTrace to format a stack and reads Error.stackTraceLimit when it
// captures one: while the sandbox captures its own, a prepareStackTrace the script set
// is not consulted, and the limit is ours (it stays a data property, as V8 ignores an
// accessor there).
function makeScriptPlaces({ $Error, $Number, $String, $defineProperty, $captureStackTrace, regExec, cut, MAX_TEXT }) {
  var SCRIPT_FRAME = /user-script\.js:(\d+):(\d+)/;
  var NO_PLACE = { __proto__: null, line: null, column: null };
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
  // { name, message, line, column } of a value the script threw, whatever it is.
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

  return { NO_PLACE: NO_PLACE, callerPlace: callerPlace, readError: readError };
}
