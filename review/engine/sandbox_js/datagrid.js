// datagrid: columns, cells, rows and the magic parsers; the rows' shape and a preview
// of the first rows go into the record. A module of the sandbox runtime
// (review/engine/sandbox_runtime.py assembles them).
function makeDatagrid({ $String, $Number, $Error, $TypeError, $isNaN, $isArray, $keys, $parse, strSlice, strIndexOf,
                        strTrim, list, dict, append, cut, MAX_TEXT, isObject, primitive, callerPlace, noteCell, observe,
                        parseXmlTree, liveOn, liveCell, liveEndRow }) {
  var MAX_RECORDED_COLUMNS = 500;
  var MAX_ROW_SHAPE_EXAMPLES = 5;
  // Check now's preview (Dev Studio shows the data): the first rows, each cell cut short.
  var MAX_PREVIEW_ROWS = 5, MAX_PREVIEW_CELLS = 30, MAX_PREVIEW_CHARS = 120;
  var recordedColumns = list(), rows = 0, shapeCount = 0, shapeExamples = list();
  var previewRows = list(), previewRow = list();
  // ---- datagrid ----
  // The date checks are written out: no regular expression, so no RegExp.prototype.
  function digits(s, from, to) {
    for (var i = from; i < to; i++) { var c = s[i]; if (c < '0' || c > '9') { return false; } }
    return true;
  }
  function isDate(s) {  // yyyy-MM-dd
    return s.length === 10 && digits(s, 0, 4) && s[4] === '-' && digits(s, 5, 7) && s[7] === '-' && digits(s, 8, 10);
  }
  function isDateTime(s) {  // yyyy-MM-dd'T'HH:mm:ss
    return s.length === 19 && isDate(strSlice(s, 0, 10)) && s[10] === 'T' && digits(s, 11, 13) &&
      s[13] === ':' && digits(s, 14, 16) && s[16] === ':' && digits(s, 17, 19);
  }
  var PLAIN = 0, DATE = 1, DATETIME = 2;
  var columns = list();
  var cellIndex = 0;
  function rowShape(message) {
    shapeCount += 1;
    if (shapeExamples.length < MAX_ROW_SHAPE_EXAMPLES) {
      var place = callerPlace();
      append(shapeExamples, { __proto__: null, message: cut(message, MAX_TEXT), line: place.line, column: place.column });
    }
  }
  function addColumn(name, type) {
    var t = type || 'STRING';
    var n = $String(name);
    observe('rows', 'column ' + n + ' ' + $String(t));
    append(columns, { __proto__: null, name: n, kind: t === 'DATE' ? DATE : t === 'DATETIME' ? DATETIME : PLAIN });
    if (recordedColumns.length < MAX_RECORDED_COLUMNS) {
      var kind = primitive(t);
      append(recordedColumns, { __proto__: null, name: cut(n, MAX_TEXT),
                                type: typeof kind === 'string' ? cut(kind, 40) : kind });
    }
  }
  function previewCell(value) {
    if (value === null || value === undefined) { return ''; }
    return strSlice(typeof value === 'string' ? value : $String(value), 0, MAX_PREVIEW_CHARS);
  }
  function addCell(value) {
    noteCell(value);
    liveCell(value);
    observe('rows', value);
    if (rows < MAX_PREVIEW_ROWS && previewRow.length < MAX_PREVIEW_CELLS) { append(previewRow, previewCell(value)); }
    if (columns.length === 0) { rowShape('a cell was added before any column'); cellIndex += 1; return; }
    var column = columns[cellIndex];
    if (column !== undefined && column.kind !== PLAIN && value !== null && value !== undefined && value !== '') {
      var s = typeof value === 'string' ? value : $String(value);
      if (column.kind === DATE ? !isDate(s) : !isDateTime(s)) {
        rowShape('"' + strSlice(s, 0, 40) + '" in ' + (column.kind === DATE ? 'date' : 'datetime') + ' column ' +
                 column.name + ' is not ' + (column.kind === DATE ? 'yyyy-MM-dd' : "yyyy-MM-dd'T'HH:mm:ss"));
      }
    }
    cellIndex += 1;
  }
  function endRow() {
    observe('rows', 'end of row');
    if (columns.length !== 0 && cellIndex !== columns.length) {
      rowShape('row ' + (rows + 1) + ' has ' + cellIndex + ' cells for ' + columns.length + ' columns');
    }
    if (rows < MAX_PREVIEW_ROWS) { append(previewRows, previewRow); }
    previewRow = list();
    liveEndRow();
    rows += 1;
    cellIndex = 0;
  }
  // magicParseJSON / magicParseCSV: the first call defines the columns when none were
  // added by hand; numbers become doubles, the rest strings.
  function isNumeric(v) {
    return v === undefined || v === null || v === '' || typeof v === 'number' ||
      (typeof v === 'string' && strTrim(v) !== '' && !$isNaN($Number(v)));
  }
  function defineColumns(records, keys) {
    for (var k = 0; k < keys.length; k++) {
      var key = keys[k];
      var numeric = records.length > 0;
      for (var i = 0; numeric && i < records.length; i++) { numeric = isNumeric(records[i][key]); }
      addColumn(key, numeric ? 'DOUBLE' : 'STRING');
    }
  }
  function ownKeys(record) { return isObject(record) ? $keys(record) : []; }
  function addRecords(records, keys) {
    if (!columns.length) { defineColumns(records, keys); }
    var known = dict();
    for (var c = 0; c < columns.length; c++) { known[columns[c].name] = true; }
    for (var i = 0; i < records.length; i++) {
      var recordKeys = ownKeys(records[i]);
      for (var j = 0; j < recordKeys.length; j++) {
        noteCell(records[i][recordKeys[j]]);
        observe('rows', recordKeys[j]);
        observe('rows', records[i][recordKeys[j]]);
        if (!known[recordKeys[j]]) { rowShape('row ' + (rows + 1) + ' has key "' + recordKeys[j] + '" that is not a column'); }
      }
      observe('rows', 'end of row');
      if (rows < MAX_PREVIEW_ROWS) {
        var cells = list();
        for (var p = 0; p < columns.length && p < MAX_PREVIEW_CELLS; p++) {
          append(cells, previewCell(isObject(records[i]) ? records[i][columns[p].name] : undefined));
        }
        append(previewRows, cells);
      }
      // A live run's CSV holds every row, its cells in the columns' order.
      for (var q = 0; liveOn() && q < columns.length; q++) {
        liveCell(isObject(records[i]) ? records[i][columns[q].name] : undefined);
      }
      liveEndRow();
      rows += 1;
    }
  }
  function magicParseJSON(input) {
    var data = typeof input === 'string' ? $parse(input) : input;
    if (!$isArray(data)) { throw new $TypeError('datagrid.magicParseJSON expects a JSON array of objects'); }
    var keys = list();
    var seen = dict();
    for (var i = 0; i < data.length; i++) {
      var recordKeys = ownKeys(data[i]);
      for (var j = 0; j < recordKeys.length; j++) {
        var k = recordKeys[j];
        if (!seen[k]) { seen[k] = true; append(keys, k); }
      }
    }
    addRecords(data, keys);
  }
  function splitCsvLine(line) {
    var cells = list();
    var cell = '';
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') { quoted = false; } else { cell += ch; }
      } else if (ch === '"') { quoted = true; } else if (ch === ',') { append(cells, cell); cell = ''; } else { cell += ch; }
    }
    append(cells, cell);
    return cells;
  }
  function csvLines(text) {  // the non-empty lines, split at \n or \r\n
    var lines = list();
    var from = 0;
    while (from < text.length) {
      var end = strIndexOf(text, '\n', from);
      if (end < 0) { end = text.length; }
      var stop = end < text.length && end > from && text[end - 1] === '\r' ? end - 1 : end;
      if (stop > from) { append(lines, strSlice(text, from, stop)); }
      from = end + 1;
    }
    return lines;
  }
  function magicParseCSV(text) {
    var lines = csvLines($String(text));
    if (!lines.length) { return; }
    var header = splitCsvLine(lines[0]);
    var records = list();
    for (var i = 1; i < lines.length; i++) {
      var cells = splitCsvLine(lines[i]);
      var record = dict();
      for (var c = 0; c < cells.length; c++) { record[c < header.length ? header[c] : '(column ' + (c + 1) + ')'] = cells[c]; }
      append(records, record);
    }
    addRecords(records, header);
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

  function DatagridError(code, message) { this.name = 'datagrid.error'; this.message = code + ': ' + message; }
  var datagrid = {
    DATA_TYPE_STRING: 'STRING', DATA_TYPE_DOUBLE: 'DOUBLE', DATA_TYPE_LONG: 'LONG',
    DATA_TYPE_DECIMAL: 'DECIMAL', DATA_TYPE_BOOLEAN: 'BOOLEAN',
    DATA_TYPE_DATETIME: 'DATETIME', DATA_TYPE_DATE: 'DATE',
    addColumn: addColumn, addCell: addCell, endRow: endRow,
    magicParseJSON: magicParseJSON, magicParseCSV: magicParseCSV, magicParseXML: magicParseXML,
    error: function (code, message) {
      var e = new DatagridError(code, message);
      e.stack = new $Error().stack;
      throw e;
    }
  };

  var datagridPart = {
    reset: function () {
      recordedColumns = list(); rows = 0; shapeCount = 0; shapeExamples = list(); previewRows = list(); previewRow = list();
    },
    report: function (record) {
      record.columns = recordedColumns; record.rows = rows;
      record.row_shape = { __proto__: null, count: shapeCount, examples: shapeExamples };
      record.preview = previewRows;
    }
  };
  return { datagrid: datagrid, splitCsvLine: splitCsvLine, csvLines: csvLines, datagridPart: datagridPart };
}
