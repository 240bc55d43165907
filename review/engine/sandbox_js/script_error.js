// The error the script ended with: the first one thrown past the script, by its top
// level (read by the worker from V8's message) or by a timer's callback. A module of the
// sandbox runtime (review/engine/sandbox_runtime.py assembles them).
function makeScriptError({ $String, strIndexOf, cut, MAX_TEXT, readError, refusedCode }) {
  var CODE_REFUSED = 'Code generation from strings disallowed';
  var runError = null;

  function noteRefusal(place) {
    if (strIndexOf(runError.message, CODE_REFUSED) >= 0) {
      refusedCode('code built from a string (V8 refused to compile it)', place);
    }
  }
  // A value a timer's callback threw; only the first error of a run is kept.
  function recordError(e) {
    if (runError !== null) { return; }
    runError = readError(e);
    noteRefusal(runError);
  }
  // What the worker read from V8's message when the script's top level threw.
  function recordThrown(name, message, line, column) {
    if (runError !== null) { return; }
    var place = { __proto__: null, line: line > 0 ? line : null, column: column > 0 ? column : null };
    runError = { __proto__: null, name: cut($String(name), MAX_TEXT), message: cut($String(message), MAX_TEXT),
                 line: place.line, column: place.column };
    noteRefusal(place);
  }

  var scriptErrorPart = {
    reset: function () { runError = null; },
    report: function (record) { record.error = runError; }
  };
  return { recordError: recordError, recordThrown: recordThrown, scriptErrorPart: scriptErrorPart };
}
