// The built-ins the runtime uses, captured when the runtime is assembled, before any
// connector code runs; and the prototype-free lists and dicts the record is kept in.
// A module of the sandbox runtime (review/engine/sandbox_runtime.py assembles them).
//
// The script runs in the same V8 context, so prototype methods are called through
// `uncurry` (a bound Function.prototype.call: a later Function.prototype.call or
// String.prototype.slice changes nothing here), and the record lives in arrays and
// objects with no prototype (`list()`, `dict()`), so no setter the script defines on
// Array.prototype or Object.prototype sees a write, and no getter answers a read.
function makeCapturedBuiltins() {
  var FunctionProto = Function.prototype;
  var uncurry = FunctionProto.bind.bind(FunctionProto.call);
  var $Object = Object, $String = String, $Number = Number, $Error = Error, $TypeError = TypeError;
  var $Proxy = Proxy, $Date = Date, $JSON = JSON, $BigInt = BigInt, $EvalError = EvalError;
  var $defineProperty = Object.defineProperty, $getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var $getOwnPropertyNames = Object.getOwnPropertyNames, $keys = Object.keys, $setPrototypeOf = Object.setPrototypeOf;
  var $reflectSet = Reflect.set, $reflectDefineProperty = Reflect.defineProperty;
  var $reflectDeleteProperty = Reflect.deleteProperty, $getPrototypeOf = Object.getPrototypeOf;
  var $isArray = Array.isArray, $parse = JSON.parse, $isNaN = isNaN, $max = Math.max;
  var $floor = Math.floor, $pow = Math.pow, $parseInt = parseInt;
  var $fromCharCode = String.fromCharCode, $fromCodePoint = String.fromCodePoint, $dateNow = Date.now;
  var $encodeURIComponent = encodeURIComponent, $decodeURIComponent = decodeURIComponent;
  var $escape = escape, $unescape = unescape;
  var $captureStackTrace = Error.captureStackTrace;
  var hasOwn = uncurry(Object.prototype.hasOwnProperty);
  var strSlice = uncurry(String.prototype.slice), strIndexOf = uncurry(String.prototype.indexOf);
  var strLastIndexOf = uncurry(String.prototype.lastIndexOf), strCharCodeAt = uncurry(String.prototype.charCodeAt);
  var strToLowerCase = uncurry(String.prototype.toLowerCase), strToUpperCase = uncurry(String.prototype.toUpperCase);
  var strTrim = uncurry(String.prototype.trim), strSplit = uncurry(String.prototype.split);
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
  var MAX_TEXT = 500;  // characters kept of any string the record keeps but a URL
  function cut(s, max) { return s.length > max ? strSlice(s, 0, max) + '...' : s; }
  function isObject(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }
  // Only primitives go into the record: a value the script made stays out of it.
  function primitive(v) {
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }

  return {
    FunctionProto: FunctionProto, uncurry: uncurry,
    $Object: $Object, $String: $String, $Number: $Number, $Error: $Error, $TypeError: $TypeError,
    $Proxy: $Proxy, $Date: $Date, $JSON: $JSON, $BigInt: $BigInt, $EvalError: $EvalError,
    $defineProperty: $defineProperty, $getOwnPropertyDescriptor: $getOwnPropertyDescriptor,
    $getOwnPropertyNames: $getOwnPropertyNames, $keys: $keys, $setPrototypeOf: $setPrototypeOf,
    $reflectSet: $reflectSet, $reflectDefineProperty: $reflectDefineProperty,
    $reflectDeleteProperty: $reflectDeleteProperty, $getPrototypeOf: $getPrototypeOf,
    $isArray: $isArray, $parse: $parse, $isNaN: $isNaN, $max: $max, $floor: $floor, $pow: $pow, $parseInt: $parseInt,
    $fromCharCode: $fromCharCode, $fromCodePoint: $fromCodePoint, $dateNow: $dateNow,
    $encodeURIComponent: $encodeURIComponent, $decodeURIComponent: $decodeURIComponent,
    $escape: $escape, $unescape: $unescape, $captureStackTrace: $captureStackTrace,
    hasOwn: hasOwn, strSlice: strSlice, strIndexOf: strIndexOf, strLastIndexOf: strLastIndexOf,
    strCharCodeAt: strCharCodeAt, strToLowerCase: strToLowerCase, strToUpperCase: strToUpperCase,
    strTrim: strTrim, strSplit: strSplit, regExec: regExec, listSort: listSort,
    dateToISOString: dateToISOString, fnApply: fnApply,
    list: list, append: append, dict: dict, join: join, MAX_TEXT: MAX_TEXT, cut: cut, isObject: isObject,
    primitive: primitive
  };
}
