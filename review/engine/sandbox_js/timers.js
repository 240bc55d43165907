// setTimeout and setInterval, run inside the run so none fires after the record is taken.
// A module of the sandbox runtime (review/engine/sandbox_runtime.py assembles them).
function makeTimers({ $Number, $max, fnApply, list, append, NO_PLACE, callerPlace, refusedCode, recordError }) {
  // ---- timers ----
  // Callbacks run after the script's own code, in the order of their delays, within
  // the run's CPU-time limit: work deferred with setTimeout is part of the run, not
  // something that happens after its record was taken.
  var timers = list();
  var timerId = 0;
  var clock = 0;
  function schedule(fn, delay, args, repeat) {
    timerId += 1;
    var wait = $max(0, $Number(delay) || 0);
    var extra = list();
    for (var i = 2; i < args.length; i++) { append(extra, args[i]); }
    var label = (repeat ? 'setInterval' : 'setTimeout') + ' with a string';
    var place = typeof fn === 'function' ? NO_PLACE : callerPlace();
    append(timers, { __proto__: null, id: timerId, fn: fn, wait: wait, due: clock + wait, args: extra,
                     repeat: repeat, cleared: false, label: label, place: place });
    return timerId;
  }
  function clear(id) {
    for (var i = 0; i < timers.length; i++) { if (timers[i].id === id) { timers[i].cleared = true; } }
  }
  function nextTimer() {
    var best = -1;
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      if (!t.cleared && (best < 0 || t.due < timers[best].due || (t.due === timers[best].due && t.id < timers[best].id))) { best = i; }
    }
    if (best < 0) { timers = list(); return null; }
    var found = timers[best];
    if (!found.repeat) { found.cleared = true; }
    return found;
  }
  function settle() {
    var ran = 0;
    for (var t = nextTimer(); t !== null; t = nextTimer()) {
      clock = t.due;
      if (t.repeat) { t.due = clock + $max(1, t.wait); }
      ran += 1;
      try {
        if (typeof t.fn === 'function') { fnApply(t.fn, undefined, t.args); } else { refusedCode(t.label, t.place); }
      } catch (e) {
        recordError(e);
      }
    }
    return ran;
  }
  function pendingTimers() {
    var pending = 0;
    for (var i = 0; i < timers.length; i++) { if (!timers[i].cleared) { pending += 1; } }
    return pending;
  }
  var timerGlobals = {
    setTimeout: function (fn, delay) { return schedule(fn, delay, arguments, false); },
    setInterval: function (fn, delay) { return schedule(fn, delay, arguments, true); },
    clearTimeout: function (id) { clear(id); },
    clearInterval: function (id) { clear(id); }
  };

  return { settle: settle, pendingTimers: pendingTimers, timerGlobals: timerGlobals };
}
