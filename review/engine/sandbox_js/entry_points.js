// The runtime's four entry points, { start, threw, settle, result }: the last module of
// the sandbox runtime (review/engine/sandbox_runtime.py assembles them), whose
// `entryPoints` the assembled runtime returns to the worker, and only to it. They are
// not globals, so the connector's script can neither call them (to restart the record)
// nor replace them.
//
// Each part of the record (requests, rows, logs, ...) is kept by the module that
// records it; `start` resets every part from the run's setup and `result` has each
// write its share into the record, which record_json.js serializes.
function makeEntryPoints({ global, ReviewDate, seededRandom, clockPart, $Error, $String, $parse, list, append, serialize, recordThrown, settle,
                           pendingTimers, timerGlobals, checkBuiltins, stubs, samplesPart, flowPart, logsPart,
                           requestsPart, datagridPart, domoPart, authPart, refusalsPart, scriptErrorPart,
                           connectLive, livePart }) {
  var parts = list();
  append(parts, clockPart);
  append(parts, samplesPart); append(parts, flowPart); append(parts, logsPart); append(parts, requestsPart);
  append(parts, datagridPart); append(parts, domoPart); append(parts, authPart); append(parts, refusalsPart);
  append(parts, scriptErrorPart); append(parts, livePart);
  var started = false;

  var entryPoints = {
    __proto__: null,
    start: function (setupJson) {
      if (started) { throw new $Error('the sandbox was started twice'); }
      started = true;
      var setup = $parse(setupJson);
      for (var i = 0; i < parts.length; i++) { parts[i].reset(setup); }
      var parameters = setup.parameters || {};
      global.metadata = { account: setup.account || {}, report: setup.report,
                          parameters: parameters, parameter: parameters, days: setup.days,
                          baseurl: setup.baseurl || 'https://api.domo.com' };
      for (var name in stubs) { global[name] = stubs[name]; }
      for (var timer in timerGlobals) { global[timer] = timerGlobals[timer]; }
      // The review's clock and seeded Math.random: every run of the review reads the same.
      global.Date = ReviewDate;
      global.Math.random = seededRandom;
      // mini-racer's own timers would run a callback after the record is taken.
      global.__timer_manager = undefined;
      // Not part of Domo's runtime, and each a way around the record or the memory limit
      // (a WebAssembly.Memory lives outside the heap; Atomics.wait blocks without CPU).
      delete global.WebAssembly; delete global.SharedArrayBuffer; delete global.Atomics;
    },
    // The worker compiles and runs the script itself (V8 refuses code from strings, so
    // no eval here); an error its top level threw comes back as text through this.
    // A live run only: the worker hands over its callback and gets the mailbox
    // (live_network.js, review/engine/live_bridge.py) before `start`.
    connectLive: connectLive,
    threw: function (name, message, line, column) { recordThrown(name, message, line, column); },
    // Timers, and timers set by promise callbacks, which V8 runs after each call returns.
    settle: settle,
    // The record as JSON; unless `final`, the number of timers still to run (the
    // worker then calls `settle` and asks again) when there are some.
    result: function (final) {
      if (!final) {
        var pending = pendingTimers();
        if (pending) { return pending; }
      }
      checkBuiltins();
      var record = { __proto__: null };
      for (var i = 0; i < parts.length; i++) { parts[i].report(record); }
      return serialize(record);
    }
  };
  return { entryPoints: entryPoints };
}
