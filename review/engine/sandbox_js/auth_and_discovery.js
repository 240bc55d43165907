// auth and discovery: what an authentication run and a discovery run report. A module
// of the sandbox runtime (review/engine/sandbox_runtime.py assembles them).
function makeAuthAndDiscovery({ $String, cut, MAX_TEXT, observe }) {
  var authResult = null, authMessage = null, discoveryOptions = 0, discoveryPublished = false;
  // ---- auth, discovery ----
  var auth = {
    authenticationSuccess: function () { authResult = 'success'; },
    authenticationFailed: function (message) { authResult = 'failed'; authMessage = cut($String(message), MAX_TEXT); }
  };
  function addChild(parent, child) {
    var children = (parent || discovery.tree).children;
    children[children.length] = child;
  }
  var discovery = {
    tree: { name: '(root)', children: [] },
    addOption: function (name, value) { discoveryOptions += 1; observe('discovery', name); observe('discovery', value); },
    addNode: function (parent, name) {
      var node = { name: $String(name), children: [] };
      observe('discovery', 'node'); observe('discovery', node.name);
      addChild(parent, node);
      return node;
    },
    addLeaf: function (parent, name, value) {
      addChild(parent, { name: $String(name), value: value });
      observe('discovery', 'leaf'); observe('discovery', $String(name)); observe('discovery', value);
      discoveryOptions += 1;
    },
    publishTree: function () { discoveryPublished = true; observe('discovery', 'published'); }
  };

  var authPart = {
    reset: function () { authResult = null; authMessage = null; discoveryOptions = 0; discoveryPublished = false; },
    report: function (record) {
      record.auth = authResult; record.auth_message = authMessage;
      record.discovery_options = discoveryOptions; record.discovery_published = discoveryPublished;
    }
  };
  return { auth: auth, discovery: discovery, authPart: authPart };
}
