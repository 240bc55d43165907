// The Domo runtime objects, as JavaScript stubs fed with the bundle's samples.
// mini-racer has no synchronous call from JavaScript into Python, so everything a
// connector script can ask for is answered here, and the run's record comes back
// as one JSON string from __sandboxResult().
//
// The user's script is evaluated with "//# sourceURL=user-script.js" so that stack
// frames of the script can be told apart from this file's frames.
var __sandboxStart, __sandboxRun, __sandboxResult;
(function (global) {
  'use strict';
  var SCRIPT_FRAME = /user-script\.js:(\d+):(\d+)/;
  var MAX_RECORDED_REQUESTS = 500;
  var MAX_ROW_SHAPE_EXAMPLES = 5;
  Error.stackTraceLimit = 30;

  var setup = null;
  var out = null;

  function scriptPlace(stack) {
    var m = SCRIPT_FRAME.exec(String(stack || ''));
    return m ? { line: Number(m[1]), column: Number(m[2]) } : { line: null, column: null };
  }
  function callerPlace() { return scriptPlace(new Error().stack); }

  // A helper Domo documents but this sandbox does not provide throws an error that
  // names it, instead of a bare "undefined is not a function".
  function strict(name, target) {
    return new Proxy(target, {
      get: function (obj, prop) {
        if (prop in obj || typeof prop === 'symbol' || prop === 'toJSON' || prop === 'then') {
          return obj[prop];
        }
        return function () {
          throw new Error(name + '.' + String(prop) + ' is not provided by the review sandbox');
        };
      }
    });
  }

  // ---- URLs, hosts and sample matching (bundle-format.md, "The sandbox") ----
  function parseUrl(url) {
    var m = /^([a-zA-Z][a-zA-Z0-9+.\-]*):\/\/([^\/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
    if (!m) { return null; }
    var authority = m[2];
    var hostport = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
    var colon = hostport.lastIndexOf(':');
    var host = colon >= 0 ? hostport.slice(0, colon) : hostport;
    var port = colon >= 0 ? hostport.slice(colon + 1) : '';
    return { scheme: m[1].toLowerCase(), hostport: hostport, host: host, port: port,
             path: m[3] || '', query: m[4] || '' };
  }
  function isDeclared(u) {
    var defaultPort = u.port === '' || (u.scheme === 'https' && u.port === '443') ||
      (u.scheme === 'http' && u.port === '80');
    for (var i = 0; i < setup.hosts.length; i++) {
      var pattern = String(setup.hosts[i]).toLowerCase();
      if (pattern.indexOf(':') >= 0) {
        if (u.host + ':' + (u.port || (u.scheme === 'https' ? '443' : '80')) === pattern) { return true; }
        continue;
      }
      if (!defaultPort) { continue; }
      if (pattern.slice(0, 2) === '*.') {
        var suffix = pattern.slice(1);
        if (u.host.length > suffix.length && u.host.slice(-suffix.length) === suffix) { return true; }
      } else if (u.host === pattern) {
        return true;
      }
    }
    return false;
  }
  function decode(s) { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return s; } }
  function canonical(url) {
    var u = parseUrl(url);
    if (!u) { return url; }
    var pairs = u.query ? u.query.split('&').filter(Boolean).map(decode).sort() : [];
    return u.scheme + '://' + u.hostport + u.path + '?' + pairs.join('&');
  }
  function findSample(method, url) {
    var wanted = canonical(url);
    var responses = setup.responses;
    for (var i = 0; i < responses.length; i++) {
      var r = responses[i];
      if (r.url && String(r.method || 'GET').toUpperCase() === method && canonical(r.url) === wanted) { return r; }
    }
    for (var j = 0; j < responses.length; j++) {
      var p = responses[j];
      if (p.url_prefix && String(p.method || 'GET').toUpperCase() === method && url.indexOf(p.url_prefix) === 0) { return p; }
    }
    return null;
  }

  // ---- httprequest ----
  var headers = {};
  var params = [];
  var last = { status: 0, headers: {} };
  function send(method, url, body) {
    url = String(url);
    if (params.length) { url += (url.indexOf('?') >= 0 ? '&' : '?') + params.join('&'); }
    var u = parseUrl(url);
    var declared = !!u && isDeclared(u);
    var sample = declared ? findSample(method, url) : null;
    out.request_count += 1;
    if (out.requests.length < MAX_RECORDED_REQUESTS) {
      var place = callerPlace();
      out.requests.push({ method: method, url: url, host: u ? u.hostport : '', declared: declared,
                          matched: !!sample, line: place.line, column: place.column });
    }
    if (!declared) { last = { status: 0, headers: {} }; return ''; }
    if (!sample) { last = { status: 404, headers: {} }; return ''; }
    var hs = {};
    var given = sample.headers || {};
    for (var k in given) { hs[k.toLowerCase()] = String(given[k]); }
    last = { status: sample.status === undefined ? 200 : sample.status, headers: hs };
    return sample.body === undefined || sample.body === null ? '' : String(sample.body);
  }
  var httprequest = {
    addHeader: function (name, value) { headers[String(name).toLowerCase()] = String(value); },
    getHeader: function (name) { return headers[String(name).toLowerCase()]; },
    clearHeaders: function () { headers = {}; },
    addParameter: function (name, value) {
      params.push(encodeURIComponent(String(name)) + '=' + encodeURIComponent(String(value)));
    },
    clearParameters: function () { params = []; },
    getStatusCode: function () { return last.status; },
    getResponseHeader: function (name) { return last.headers[String(name).toLowerCase()]; },
    get: function (url) { return send('GET', url); },
    post: function (url, body) { return send('POST', url, body); },
    put: function (url, body) { return send('PUT', url, body); }
  };

  // ---- datagrid ----
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
  var columns = [];
  var cellIndex = 0;
  function rowShape(message) {
    out.row_shape.count += 1;
    if (out.row_shape.examples.length < MAX_ROW_SHAPE_EXAMPLES) {
      var place = callerPlace();
      out.row_shape.examples.push({ message: message, line: place.line, column: place.column });
    }
  }
  function addColumn(name, type) {
    columns.push({ name: String(name), type: type || 'STRING' });
    out.columns.push({ name: String(name), type: type || 'STRING' });
  }
  function addCell(value) {
    if (!columns.length) { rowShape('a cell was added before any column'); cellIndex += 1; return; }
    var column = columns[cellIndex];
    if (column && value !== null && value !== undefined && value !== '') {
      if (column.type === 'DATE' && !DATE.test(String(value))) {
        rowShape('"' + String(value).slice(0, 40) + '" in date column ' + column.name + ' is not yyyy-MM-dd');
      } else if (column.type === 'DATETIME' && !DATETIME.test(String(value))) {
        rowShape('"' + String(value).slice(0, 40) + '" in datetime column ' + column.name +
                 " is not yyyy-MM-dd'T'HH:mm:ss");
      }
    }
    cellIndex += 1;
  }
  function endRow() {
    if (columns.length && cellIndex !== columns.length) {
      rowShape('row ' + (out.rows + 1) + ' has ' + cellIndex + ' cells for ' + columns.length + ' columns');
    }
    out.rows += 1;
    cellIndex = 0;
  }
  // magicParseJSON / magicParseCSV: the first call defines the columns when none were
  // added by hand; numbers become doubles, the rest strings.
  function defineColumns(records, keys) {
    keys.forEach(function (key) {
      var numeric = records.length > 0 && records.every(function (r) {
        var v = r[key];
        return v === undefined || v === null || v === '' || (typeof v === 'number') ||
          (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)));
      });
      addColumn(key, numeric ? 'DOUBLE' : 'STRING');
    });
  }
  function addRecords(records, keys) {
    if (!columns.length) { defineColumns(records, keys); }
    var known = {};
    columns.forEach(function (c) { known[c.name] = true; });
    for (var i = 0; i < records.length; i++) {
      var record = records[i];
      for (var key in record) {
        if (!known[key]) { rowShape('row ' + (out.rows + 1) + ' has key "' + key + '" that is not a column'); }
      }
      out.rows += 1;
    }
  }
  function magicParseJSON(input) {
    var data = typeof input === 'string' ? JSON.parse(input) : input;
    if (!Array.isArray(data)) { throw new TypeError('datagrid.magicParseJSON expects a JSON array of objects'); }
    var keys = [];
    var seen = {};
    data.forEach(function (r) {
      for (var k in r) { if (!seen[k]) { seen[k] = true; keys.push(k); } }
    });
    addRecords(data, keys);
  }
  function splitCsvLine(line) {
    var cells = [];
    var cell = '';
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') { quoted = false; } else { cell += ch; }
      } else if (ch === '"') { quoted = true; } else if (ch === ',') { cells.push(cell); cell = ''; } else { cell += ch; }
    }
    cells.push(cell);
    return cells;
  }
  function magicParseCSV(text) {
    var lines = String(text).split(/\r?\n/).filter(function (l) { return l.length > 0; });
    if (!lines.length) { return; }
    var header = splitCsvLine(lines[0]);
    var records = [];
    for (var i = 1; i < lines.length; i++) {
      var cells = splitCsvLine(lines[i]);
      var record = {};
      for (var c = 0; c < cells.length; c++) { record[c < header.length ? header[c] : '(column ' + (c + 1) + ')'] = cells[c]; }
      records.push(record);
    }
    addRecords(records, header);
  }
  function DatagridError(code, message) { this.name = 'datagrid.error'; this.message = code + ': ' + message; }
  var datagrid = {
    DATA_TYPE_STRING: 'STRING', DATA_TYPE_DOUBLE: 'DOUBLE', DATA_TYPE_LONG: 'LONG',
    DATA_TYPE_DECIMAL: 'DECIMAL', DATA_TYPE_BOOLEAN: 'BOOLEAN',
    DATA_TYPE_DATETIME: 'DATETIME', DATA_TYPE_DATE: 'DATE',
    addColumn: addColumn, addCell: addCell, endRow: endRow,
    magicParseJSON: magicParseJSON, magicParseCSV: magicParseCSV,
    error: function (code, message) {
      var e = new DatagridError(code, message);
      e.stack = new Error().stack;
      throw e;
    }
  };

  // ---- DOMO ----
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function b64encode(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes.charCodeAt(i) << 16) | ((bytes.charCodeAt(i + 1) || 0) << 8) | (bytes.charCodeAt(i + 2) || 0);
      s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] +
        (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return s;
  }
  function b64decode(text) {
    var clean = String(text).replace(/[^A-Za-z0-9+\/]/g, '');
    var bytes = '';
    for (var i = 0; i < clean.length; i += 4) {
      var n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12) |
        ((B64.indexOf(clean[i + 2]) & 63) << 6) | (B64.indexOf(clean[i + 3]) & 63);
      bytes += String.fromCharCode((n >> 16) & 255);
      if (i + 2 < clean.length) { bytes += String.fromCharCode((n >> 8) & 255); }
      if (i + 3 < clean.length) { bytes += String.fromCharCode(n & 255); }
    }
    return bytes;
  }
  function dateValue(value, key) {
    if (value && typeof value === 'object') { return value[key]; }
    if (typeof value === 'string') { return value; }
    var d = new Date(Date.now() - (key === 'start' ? (setup.days || 0) * 86400000 : 0));
    return d.toISOString().slice(0, 10);
  }
  var state = {};
  var DOMO = {
    log: function () { out.logs += 1; },
    sleep: function (ms) { out.sleep_ms += Math.max(0, Number(ms) || 0); },
    b64EncodeUnicode: function (s) { return b64encode(unescape(encodeURIComponent(String(s)))); },
    b64DecodeUnicode: function (s) { return decodeURIComponent(escape(b64decode(s))); },
    getState: function (key) { return state[key]; },
    setState: function (key, value) { state[key] = value; },
    getStartDate: function (value) { return dateValue(value, 'start'); },
    getEndDate: function (value) { return dateValue(value, 'end'); }
  };

  // ---- auth, discovery, metadata ----
  var auth = {
    authenticationSuccess: function () { out.auth = 'success'; },
    authenticationFailed: function (message) { out.auth = 'failed'; out.auth_message = String(message); }
  };
  var discovery = {
    tree: { name: '(root)', children: [] },
    addOption: function (name, value) { out.discovery_options += 1; },
    addNode: function (parent, name) {
      var node = { name: String(name), children: [] };
      (parent || discovery.tree).children.push(node);
      return node;
    },
    addLeaf: function (parent, name, value) {
      (parent || discovery.tree).children.push({ name: String(name), value: value });
      out.discovery_options += 1;
    },
    publishTree: function () { out.discovery_published = true; }
  };

  __sandboxStart = function (setupJson) {
    setup = JSON.parse(setupJson);
    out = { requests: [], request_count: 0, columns: [], rows: 0,
            row_shape: { count: 0, examples: [] }, auth: null, auth_message: null,
            sleep_ms: 0, logs: 0, discovery_options: 0, discovery_published: false, error: null };
    global.metadata = { account: setup.account || {}, report: setup.report,
                        parameters: setup.parameters || {}, days: setup.days };
    global.httprequest = strict('httprequest', httprequest);
    global.datagrid = strict('datagrid', datagrid);
    global.DOMO = strict('DOMO', DOMO);
    global.auth = strict('auth', auth);
    global.discovery = strict('discovery', discovery);
  };
  // Indirect eval runs the script at global scope, like Domo's engine, while a
  // throw stays catchable here with its stack (and so its script line).
  __sandboxRun = function (source) {
    try {
      (0, eval)(source + '\n//# sourceURL=user-script.js');
    } catch (e) {
      var place = scriptPlace(e && e.stack);
      var name = (e && e.name) || 'Error';
      var message = (e && e.message !== undefined) ? e.message : String(e);
      out.error = { name: String(name), message: String(message).slice(0, 500), line: place.line, column: place.column };
    }
  };
  __sandboxResult = function () { return JSON.stringify(out); };
})(this);
