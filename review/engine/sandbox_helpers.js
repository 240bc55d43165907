  // ==== Domo's XML, sql and aws helpers ====
  // After sandbox_crypto.js, in the same closure (see there): the same rules apply.

  // ---- XML: parseXML (an object) and magicParseXML (rows) ----
  var XML_ENTITIES = { __proto__: null, lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  function xmlDecode(text) {
    var out = '', from = 0;
    for (var at = strIndexOf(text, '&'); at >= 0; at = strIndexOf(text, '&', from)) {
      var end = strIndexOf(text, ';', at);
      if (end < 0) { break; }
      var name = strSlice(text, at + 1, end), value;
      if (name[0] === '#') {
        var code = name[1] === 'x' ? $parseInt(strSlice(name, 2), 16) : $parseInt(strSlice(name, 1), 10);
        value = code === code ? $fromCodePoint(code) : null;
      } else {
        value = XML_ENTITIES[name] === undefined ? null : XML_ENTITIES[name];
      }
      out += strSlice(text, from, at) + (value === null ? strSlice(text, at, end + 1) : value);
      from = end + 1;
    }
    return out + strSlice(text, from);
  }
  var $fromCodePoint = String.fromCodePoint;
  function xmlError(what, at) { return new $Error('XML: ' + what + ' at character ' + (at + 1)); }
  function isNameChar(c) {
    return c !== undefined && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '/' && c !== '>' &&
      c !== '=' && c !== '<' && c !== '"' && c !== "'";
  }
  function isSpace(c) { return c === ' ' || c === '\t' || c === '\n' || c === '\r'; }
  // A tree of {name, attributes: [[name, value]], children: [node], text} for the document's root.
  function parseXmlTree(text) {
    var i = 0, n = text.length, root = null;
    var stack = list();
    function skip(until, from) {
      var end = strIndexOf(text, until, from);
      if (end < 0) { throw xmlError('unclosed ' + strSlice(text, from - 2, from + 7), from); }
      return end + until.length;
    }
    while (i < n) {
      var lt = strIndexOf(text, '<', i);
      var chunk = strSlice(text, i, lt < 0 ? n : lt);
      if (stack.length) { stack[stack.length - 1].text += xmlDecode(chunk); }
      else if (strTrim(chunk) !== '') { throw xmlError('text outside the root element', i); }
      if (lt < 0) { break; }
      i = lt;
      if (strSlice(text, i, i + 4) === '<!--') { i = skip('-->', i + 4); continue; }
      if (strSlice(text, i, i + 9) === '<![CDATA[') {
        var close = skip(']]>', i + 9);
        if (stack.length) { stack[stack.length - 1].text += strSlice(text, i + 9, close - 3); }
        i = close;
        continue;
      }
      if (text[i + 1] === '?' ) { i = skip('?>', i + 2); continue; }
      if (text[i + 1] === '!') { i = skip('>', i + 2); continue; }
      if (text[i + 1] === '/') {
        var end = strIndexOf(text, '>', i);
        if (end < 0) { throw xmlError('unclosed end tag', i); }
        var closing = strTrim(strSlice(text, i + 2, end));
        if (!stack.length || stack[stack.length - 1].name !== closing) { throw xmlError('unexpected </' + closing + '>', i); }
        stack.length -= 1;
        i = end + 1;
        continue;
      }
      var j = i + 1;
      while (isNameChar(text[j])) { j += 1; }
      if (j === i + 1) { throw xmlError('a tag without a name', i); }
      var node = { __proto__: null, name: strSlice(text, i + 1, j), attributes: list(), children: list(), text: '' };
      for (;;) {
        while (isSpace(text[j])) { j += 1; }
        if (text[j] === '>' || (text[j] === '/' && text[j + 1] === '>') || j >= n) { break; }
        var a = j;
        while (isNameChar(text[j])) { j += 1; }
        var attr = strSlice(text, a, j);
        while (isSpace(text[j])) { j += 1; }
        if (attr === '' || text[j] !== '=') { throw xmlError('an attribute without a value', j); }
        j += 1;
        while (isSpace(text[j])) { j += 1; }
        var q = text[j];
        if (q !== '"' && q !== "'") { throw xmlError('an unquoted attribute value', j); }
        var vEnd = strIndexOf(text, q, j + 1);
        if (vEnd < 0) { throw xmlError('an unclosed attribute value', j); }
        append(node.attributes, [attr, xmlDecode(strSlice(text, j + 1, vEnd))]);
        j = vEnd + 1;
      }
      if (j >= n) { throw xmlError('an unclosed tag', i); }
      if (stack.length) { append(stack[stack.length - 1].children, node); }
      else if (root === null) { root = node; }
      else { throw xmlError('a second root element', i); }
      if (text[j] === '/') { i = j + 2; } else { append(stack, node); i = j + 1; }
    }
    if (stack.length) { throw xmlError('<' + stack[stack.length - 1].name + '> is not closed', n); }
    if (root === null) { throw xmlError('no root element', 0); }
    return root;
  }
  // Element names as keys, repeated elements as arrays, attributes as "@name", text as
  // "#text" when mixed with elements or attributes; an element with only text is its text.
  function xmlValue(node) {
    if (!node.children.length && !node.attributes.length) { return node.text; }
    var out = {}, many = dict();
    for (var i = 0; i < node.attributes.length; i++) { out['@' + node.attributes[i][0]] = node.attributes[i][1]; }
    for (var j = 0; j < node.children.length; j++) {
      var name = node.children[j].name, value = xmlValue(node.children[j]);
      if (!hasOwn(out, name)) { out[name] = value; continue; }
      if (many[name] !== true) { var first = out[name]; out[name] = []; arrayAppend(out[name], first); many[name] = true; }
      arrayAppend(out[name], value);
    }
    var text = strTrim(node.text);
    if (text !== '') { out['#text'] = text; }
    return out;
  }
  function arrayAppend(a, value) {
    $defineProperty(a, a.length, { __proto__: null, value: value, writable: true, enumerable: true, configurable: true });
  }
  function parseXML(text) {
    var root = parseXmlTree($String(text));
    var out = {};
    out[root.name] = xmlValue(root);
    return out;
  }
  function magicParseXML(text) {
    var root = parseXmlTree($String(text));
    var records = list(), keys = list(), seen = dict();
    for (var i = 0; i < root.children.length; i++) {
      var row = root.children[i], record = dict(), c;
      for (c = 0; c < row.attributes.length; c++) { record[row.attributes[c][0]] = row.attributes[c][1]; }
      for (c = 0; c < row.children.length; c++) {
        var cell = row.children[c];
        if (!cell.children.length) { record[cell.name] = cell.text; }
      }
      if (!row.children.length && !row.attributes.length) { record[row.name] = row.text; }
      var recordKeys = $keys(record);
      for (var k = 0; k < recordKeys.length; k++) {
        if (!seen[recordKeys[k]]) { seen[recordKeys[k]] = true; append(keys, recordKeys[k]); }
      }
      append(records, record);
    }
    addRecords(records, keys);
  }

  // ---- sql: an in-memory store for one run ----
  var tables = dict();
  function sqlTable(name, what) {
    var t = tables[$String(name)];
    if (t === undefined) { throw new $Error('sql.' + what + ': no table ' + $String(name)); }
    return t;
  }
  function schemaColumns(schema) {
    var out = list(), i;
    if (typeof schema === 'string') {
      var parts = splitCsvLine(schema);
      for (i = 0; i < parts.length; i++) {
        var words = strTrim(parts[i]);
        var space = strIndexOf(words, ' ');
        if (words !== '') { append(out, space < 0 ? words : strSlice(words, 0, space)); }
      }
    } else if ($isArray(schema)) {
      for (i = 0; i < schema.length; i++) {
        append(out, $String(isObject(schema[i]) ? schema[i].name : schema[i]));
      }
    } else if (isObject(schema)) {
      var keys = $keys(schema);
      for (i = 0; i < keys.length; i++) { append(out, keys[i]); }
    }
    return out;
  }
  // A where clause: an object of equal values, or "a = 'x' AND b > 2" (=, !=, <>, <, <=, >, >=).
  var SQL_CONDITION = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<>|!=|=|<|>)\s*('(?:[^']|'')*'|-?[0-9.]+|null|true|false)\s*$/i;
  var SQL_AND = /\s+and\s+/i;
  var strSplit = uncurry(String.prototype.split);
  function sqlLiteral(text) {
    if (text[0] === "'") {
      var out = '', body = strSlice(text, 1, -1);
      for (var i = 0; i < body.length; i++) { out += body[i]; if (body[i] === "'") { i += 1; } }
      return out;
    }
    var lower = strToLowerCase(text);
    return lower === 'null' ? null : lower === 'true' ? true : lower === 'false' ? false : $Number(text);
  }
  function sqlWhere(where) {
    var conditions = list(), i;
    if (where === undefined || where === null || where === '') { return conditions; }
    if (typeof where === 'string') {
      var parts = strSplit(where, SQL_AND);
      for (i = 0; i < parts.length; i++) {
        var m = regExec(SQL_CONDITION, parts[i]);
        if (m === null) { throw new $Error('sql: cannot read the condition "' + strSlice(parts[i], 0, 80) + '"'); }
        append(conditions, { __proto__: null, column: m[1], op: m[2], value: sqlLiteral(m[3]) });
      }
    } else if (isObject(where)) {
      var keys = $keys(where);
      for (i = 0; i < keys.length; i++) { append(conditions, { __proto__: null, column: keys[i], op: '=', value: where[keys[i]] }); }
    }
    return conditions;
  }
  function sqlMatches(row, conditions) {
    for (var i = 0; i < conditions.length; i++) {
      var c = conditions[i], v = row[c.column], w = c.value;
      if (typeof v === 'number' || typeof w === 'number') { v = v === null || v === undefined ? v : $Number(v); w = w === null ? w : $Number(w); }
      var ok = c.op === '=' ? v === w : c.op === '!=' || c.op === '<>' ? v !== w :
        c.op === '<' ? v < w : c.op === '<=' ? v <= w : c.op === '>' ? v > w : v >= w;
      if (!ok) { return false; }
    }
    return true;
  }
  function sqlRows(values) {
    var out = list();
    if ($isArray(values)) { for (var i = 0; i < values.length; i++) { append(out, values[i]); } }
    else if (isObject(values)) { append(out, values); }
    return out;
  }
  function copyRow(columns, source) {
    var row = dict();
    for (var i = 0; i < columns.length; i++) {
      var v = isObject(source) ? source[columns[i]] : undefined;
      row[columns[i]] = v === undefined ? null : primitive(v) === null && v !== null ? $String(v) : v;
    }
    return row;
  }
  var sql = {
    createTable: function (name, schema, addIfNotExists) {
      var key = $String(name);
      if (tables[key] !== undefined) {
        if (addIfNotExists) { return; }
        throw new $Error('sql.createTable: table ' + key + ' already exists');
      }
      tables[key] = { __proto__: null, columns: schemaColumns(schema), rows: list() };
    },
    insert: function (name, values) {
      var t = sqlTable(name, 'insert');
      var given = sqlRows(values);
      for (var i = 0; i < given.length; i++) { append(t.rows, copyRow(t.columns, given[i])); }
    },
    select: function (columns, from, where, useDistinct) {
      var t = sqlTable(from, 'select');
      var wanted = columns === undefined || columns === null || columns === '*' ? t.columns : schemaColumns(columns);
      var conditions = sqlWhere(where);
      var out = '[', count = 0, seen = dict();
      for (var i = 0; i < t.rows.length; i++) {
        if (!sqlMatches(t.rows[i], conditions)) { continue; }
        var text = serialize(copyRow(wanted, t.rows[i]));
        if (useDistinct) { if (seen[text] === true) { continue; } seen[text] = true; }
        out += (count ? ',' : '') + text;
        count += 1;
      }
      return out + ']';  // a JSON array as text, as Domo's helper returns it
    },
    update: function (name, values, where) {
      var t = sqlTable(name, 'update');
      var conditions = sqlWhere(where), keys = isObject(values) ? $keys(values) : [];
      for (var i = 0; i < t.rows.length; i++) {
        if (!sqlMatches(t.rows[i], conditions)) { continue; }
        for (var k = 0; k < keys.length; k++) { t.rows[i][keys[k]] = primitive(values[keys[k]]); }
      }
    },
    'delete': function (name, where) {
      var t = sqlTable(name, 'delete');
      var conditions = sqlWhere(where), kept = list();
      for (var i = 0; i < t.rows.length; i++) { if (!sqlMatches(t.rows[i], conditions)) { append(kept, t.rows[i]); } }
      t.rows = kept;
    },
    'export': function () {
      var out = dict();
      for (var name in tables) { out[name] = tables[name].rows; }
      return serialize(out);
    }
  };

  // ---- aws: S3 objects, each a request like any other (answered from the samples) ----
  var REGION = /^[a-z0-9-]{1,40}$/;
  var awsClient = null;
  function s3Url(path, name) {
    if (awsClient === null) { throw new $Error('aws: call aws.createClient(region, key, secret) first'); }
    var p = $String(path), n = $String(name);
    while (p.length && p[p.length - 1] === '/') { p = strSlice(p, 0, -1); }
    while (p.length && p[0] === '/') { p = strSlice(p, 1); }
    return 'https://s3.' + awsClient.region + '.amazonaws.com/' + (p ? p + '/' : '') + n;
  }
  // What S3 receives: the access key id in the Authorization header (the secret key only
  // signs, as a keyed hash, and is not sent).
  function s3Headers(url, method) {
    var headers = dict();
    headers.authorization = 'AWS4-HMAC-SHA256 Credential=' + awsClient.key + '/' + awsClient.region +
      '/s3/aws4_request, Signature=' + toHex(hmac(sha256, utf8Bytes(awsClient.secret), utf8Bytes(method + ' ' + url)));
    return headers;
  }
  var aws = {
    createClient: function (region, key, secret) {
      var r = $String(region);
      if (regExec(REGION, r) === null) { throw new $Error('aws.createClient: "' + strSlice(r, 0, 40) + '" is not an AWS region'); }
      awsClient = { __proto__: null, region: r, key: $String(key), secret: $String(secret) };
    },
    put: function (path, name, value) {
      var url = s3Url(path, name);
      send('PUT', url, value === undefined || value === null ? '' : $String(value), s3Headers(url, 'PUT'));
    },
    get: function (path, name) {
      var url = s3Url(path, name);
      return send('GET', url, null, s3Headers(url, 'GET'));
    }
  };

  var domoHelpers = {
    md5: function (text) { return toHex(md5(utf8Bytes(text))); },
    hmacSHA1: function (text, key) { return toHex(hmac(sha1, utf8Bytes(key), utf8Bytes(text))); },
    hmacSHA256: function (text, key) { return toHex(hmac(sha256, utf8Bytes(key), utf8Bytes(text))); },
    parseXML: parseXML,
    getJWT: getJWT
  };
  // ==== end of Domo's helpers ====
