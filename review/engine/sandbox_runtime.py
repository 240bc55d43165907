"""The sandbox runtime's JavaScript, assembled from its modules in review/engine/sandbox_js/.

Each module is one factory, `function makeX({ what, it, takes }) { ...; return { what, it,
gives }; }`. The assembled runtime calls the factories in the order of MODULES, each
with the names the modules before it gave, and returns the last module's `entryPoints`
to the worker. All of it runs when the worker evaluates the runtime, before any
connector code: every built-in a module captures is the original one. The names live in
the runtime's closure, never in a global, so the script reaches none of them.

tests/review/test_sandbox_modules.py checks that each file parses alone, that MODULES
names every file once, and that a module reads no name it does not take.
Imported by the worker, so it imports nothing but the standard library.
"""

from __future__ import annotations

from pathlib import Path

MODULES_DIR = Path(__file__).with_name("sandbox_js")

# The order of assembly: a module takes only what modules before it gave.
MODULES = (
    "url_hosts.js",
    "captured_builtins.js",
    "determinism.js",
    "script_places.js",
    "record_json.js",
    "refusals.js",
    "script_error.js",
    "sample_replay.js",
    "data_flow.js",
    "log_lines.js",
    "live_network.js",
    "httprequest.js",
    "xml.js",
    "datagrid.js",
    "hashes_and_signatures.js",
    "sql_and_aws.js",
    "domo.js",
    "auth_and_discovery.js",
    "guarded_stubs.js",
    "timers.js",
    "builtins_integrity.js",
    "entry_points.js",
)

# `given` holds every name a module gave; a name given twice is a mistake in the
# modules, found when the runtime is assembled rather than by a silent override.
_HEAD = """(function (global) {
  'use strict';
  var given = { __proto__: null, global: global };
  function take(module, made) {
    for (var name in made) {
      if (name in given) { throw new Error(module + ' gives ' + name + ', which an earlier module gave'); }
      given[name] = made[name];
    }
  }
"""
_TAIL = """  return given.entryPoints;
})(this);
"""


def module_source(name: str) -> str:
    return (MODULES_DIR / name).read_text(encoding="utf-8")


def runtime_source() -> str:
    """The runtime as one script: evaluating it returns { start, threw, settle, result }."""
    calls = [f"  take({name!r}, ({module_source(name)})(given));\n" for name in MODULES]
    return _HEAD + "".join(calls) + _TAIL
