// The same clock and the same "random" numbers in every run of a review: the review
// compares runs that differ in one input (bundle-format.md, "Data flow"), so anything
// else a script could read to behave differently (Math.random, Date, DOMO.getStartDate)
// must answer identically in all of them. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them); `clockPart.reset` takes the seed
// and the review's clock from the run's setup.
function makeDeterminism({ $Date, $Number, $floor, $dateNow, uncurry }) {
  var $construct = Reflect.construct, $imul = Math.imul, $dateUTC = Date.UTC, $dateParse = Date.parse;
  var dateToString = uncurry(Date.prototype.toString);
  var base = 0, ticks = 0, seed = 1;
  // The clock advances one millisecond per read, so a loop that waits for time to pass
  // still ends; the same reads give the same times in every run.
  function now() { ticks += 1; return base + ticks; }
  // Where the review's day starts (DOMO.getStartDate/getEndDate): the clock, not read.
  function today() { return base; }
  // mulberry32: small, fast, and the same sequence for the same seed.
  function random() {
    seed = (seed + 0x6D2B79F5) | 0;
    var t = seed;
    t = $imul(t ^ (t >>> 15), t | 1);
    t ^= t + $imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  // Date as the script sees it: `new Date()` and `Date()` read the review's clock, every
  // other form is the real Date. Its prototype is the real one (instanceof holds).
  function ReviewDate() {
    if (new.target === undefined) { return dateToString(new $Date(now())); }
    var args = arguments.length === 0 ? [now()] : arguments;
    return $construct($Date, args, new.target);
  }
  ReviewDate.prototype = $Date.prototype;
  ReviewDate.now = function () { return now(); };
  ReviewDate.UTC = $dateUTC;
  ReviewDate.parse = $dateParse;

  var clockPart = {
    reset: function (setup) {
      var given = $Number(setup.now);
      // Without a clock in the setup (a run outside a review), the real time at the start.
      base = given === given && given > 0 ? $floor(given) : $dateNow();
      ticks = 0;
      seed = $Number(setup.seed) | 0 || 1;
    },
    report: function () {}
  };
  return { ReviewDate: ReviewDate, seededRandom: random, reviewNow: now, reviewToday: today, clockPart: clockPart };
}
