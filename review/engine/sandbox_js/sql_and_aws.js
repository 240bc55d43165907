// Domo's sql (an in-memory store for one run) and aws (S3 objects, each a request like
// any other) helpers. A module of the sandbox runtime (review/engine/sandbox_runtime.py
// assembles them).
function makeSqlAndAws({ $String, $Number, $Error, $isArray, $keys, regExec, strIndexOf, strSlice, strSplit, strTrim,
                         strToLowerCase, list, dict, append, isObject, primitive, serialize, splitCsvLine, send,
                         toHex, hmac, sha256, utf8Bytes }) {
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

  return { sql: sql, aws: aws };
}
