// What the script tried that the sandbox refuses, each attempt recorded with its line:
// code built from strings (dynamic-code) and changes to what the sandbox provides
// (sandbox-tampering). A module of the sandbox runtime (review/engine/sandbox_runtime.py
// assembles them); `refusalsPart` resets and reports its share of the record.
function makeRefusals({ global, FunctionProto, $EvalError, $defineProperty, $getPrototypeOf, list, append, cut,
                        MAX_TEXT, callerPlace }) {
  var MAX_DYNAMIC_CODE = 20;
  var MAX_TAMPERING = 20;
  var dynamicCode = list(), tampering = list();

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

  var refusalsPart = {
    reset: function () { dynamicCode = list(); tampering = list(); },
    report: function (record) { record.tampering = tampering; record.dynamic_code = dynamicCode; }
  };
  return { tampered: tampered, refusedCode: refusedCode, refusalsPart: refusalsPart };
}
