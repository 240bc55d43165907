// The globals the script is given (httprequest, datagrid, DOMO, ...), each behind a
// proxy that keeps what the sandbox provides as it is. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them).
function makeGuardedStubs({ $String, $Error, $Proxy, $keys, $defineProperty, $reflectSet, $reflectDefineProperty,
                            $reflectDeleteProperty, dict, callerPlace, tampered, httprequest, datagrid, DOMO, sql, aws,
                            auth, discovery }) {
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

  return { stubs: stubs };
}
