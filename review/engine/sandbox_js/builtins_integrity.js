// What a recorder relies on (JSON.stringify, toJSON, Function.prototype.call, ...), as it
// was when the runtime was assembled, before the script ran: `checkBuiltins` records as
// sandbox-tampering each one the script replaced. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them).
function makeBuiltinsIntegrity({ global, FunctionProto, $JSON, $Object, $getOwnPropertyDescriptor, $getOwnPropertyNames,
                                 hasOwn, dict, NO_PLACE, tampered, quote }) {
  // ---- what a recorder relies on, as it was before the script ran ----
  function slot(owner, key, label) {
    return { __proto__: null, owner: owner, key: key, label: label, value: owner[key] };
  }
  var WATCHED = [
    slot($JSON, 'stringify', 'JSON.stringify'), slot($JSON, 'parse', 'JSON.parse'),
    slot(FunctionProto, 'call', 'Function.prototype.call'), slot(FunctionProto, 'apply', 'Function.prototype.apply'),
    slot(FunctionProto, 'bind', 'Function.prototype.bind'),
    slot($Object, 'defineProperty', 'Object.defineProperty'),
    slot($Object, 'defineProperties', 'Object.defineProperties'),
    slot($Object, 'getOwnPropertyDescriptor', 'Object.getOwnPropertyDescriptor'),
    slot($Object, 'setPrototypeOf', 'Object.setPrototypeOf'), slot($Object, 'freeze', 'Object.freeze'),
    slot(Array.prototype, 'push', 'Array.prototype.push'),
    slot(RegExp.prototype, 'exec', 'RegExp.prototype.exec'), slot(RegExp.prototype, 'test', 'RegExp.prototype.test'),
    slot(String.prototype, 'toLowerCase', 'String.prototype.toLowerCase'),
    slot(String.prototype, 'slice', 'String.prototype.slice'),
    slot(String.prototype, 'lastIndexOf', 'String.prototype.lastIndexOf'),
    slot(global, 'JSON', 'JSON'), slot(global, 'Object', 'Object'), slot(global, 'Array', 'Array'),
    slot(global, 'Function', 'Function'), slot(global, 'Proxy', 'Proxy')
  ];
  var TO_JSON_OWNERS = [
    slot(Object.prototype, 'toJSON', 'Object.prototype'), slot(Array.prototype, 'toJSON', 'Array.prototype'),
    slot(String.prototype, 'toJSON', 'String.prototype'), slot(Number.prototype, 'toJSON', 'Number.prototype'),
    slot(Boolean.prototype, 'toJSON', 'Boolean.prototype')
  ];
  function accessorNames(owner) {
    var names = dict();
    var all = $getOwnPropertyNames(owner);
    for (var i = 0; i < all.length; i++) {
      var d = $getOwnPropertyDescriptor(owner, all[i]);
      if (hasOwn(d, 'get') || hasOwn(d, 'set')) { names[all[i]] = true; }
    }
    return names;
  }
  var ACCESSOR_OWNERS = [
    { __proto__: null, owner: Object.prototype, label: 'Object.prototype', before: accessorNames(Object.prototype) },
    { __proto__: null, owner: Array.prototype, label: 'Array.prototype', before: accessorNames(Array.prototype) }
  ];
  // Adding a method a prototype lacks (a polyfill) is not tampering, nor is replacing
  // one of the newer methods that old code polyfills unconditionally (trim, includes,
  // ...): only these, which no honest script has a reason to touch, are.
  function checkBuiltins() {
    var i, d;
    for (i = 0; i < WATCHED.length; i++) {
      var w = WATCHED[i];
      d = $getOwnPropertyDescriptor(w.owner, w.key);
      if (d === undefined || !hasOwn(d, 'value') || d.value !== w.value) { tampered('replaced ' + w.label, NO_PLACE); }
    }
    for (i = 0; i < TO_JSON_OWNERS.length; i++) {
      if (hasOwn(TO_JSON_OWNERS[i].owner, 'toJSON')) { tampered('defined ' + TO_JSON_OWNERS[i].label + '.toJSON', NO_PLACE); }
    }
    for (i = 0; i < ACCESSOR_OWNERS.length; i++) {
      var a = ACCESSOR_OWNERS[i];
      var names = $getOwnPropertyNames(a.owner);
      for (var j = 0; j < names.length; j++) {
        d = $getOwnPropertyDescriptor(a.owner, names[j]);
        if ((hasOwn(d, 'get') || hasOwn(d, 'set')) && a.before[names[j]] !== true) {
          tampered('defined a getter or setter for ' + a.label + '[' + quote(names[j]) + ']', NO_PLACE);
        }
      }
    }
  }

  return { checkBuiltins: checkBuiltins };
}
