// Domo's XML helpers' parser: a document as a tree (parseXmlTree) and as an object
// (parseXML). A module of the sandbox runtime (review/engine/sandbox_runtime.py
// assembles them).
function makeXml({ $String, $Error, $parseInt, $fromCodePoint, $defineProperty, hasOwn, strIndexOf, strSlice, strTrim,
                   list, dict, append }) {
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

  return { parseXmlTree: parseXmlTree, parseXML: parseXML };
}
