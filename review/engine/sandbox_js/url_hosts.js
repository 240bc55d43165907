// Hosts read from URLs as the WHATWG URL Standard reads them (bundle-format.md, "The
// sandbox"): what browsers and HTTP clients send a request to. The Python half
// (review/engine/url_parsing.py) uses ada-url; tests/review/hardening/test_url_hosts.py holds the table
// of tricky URLs on which both must agree.
//
// A module of the sandbox runtime (review/engine/sandbox_runtime.py assembles them): it
// takes nothing and gives { parseUrl, isDeclared }. It captures every built-in it uses
// itself, when the runtime is assembled and before any connector code runs, so nothing
// the script replaces later changes how a host is read.
function makeUrlHosts() {
  var uncurry = Function.prototype.bind.bind(Function.prototype.call);
  var strSlice = uncurry(String.prototype.slice), strIndexOf = uncurry(String.prototype.indexOf);
  var strCharCodeAt = uncurry(String.prototype.charCodeAt), strToLowerCase = uncurry(String.prototype.toLowerCase);
  var strNormalize = uncurry(String.prototype.normalize), strLastIndexOf = uncurry(String.prototype.lastIndexOf);
  var $fromCharCode = String.fromCharCode, $decodeURIComponent = decodeURIComponent;
  var $parseInt = parseInt, $String = String, $floor = Math.floor, $pow = Math.pow;
  var strSplit = uncurry(String.prototype.split), numToString = uncurry(Number.prototype.toString);
  var $setPrototypeOf = Object.setPrototypeOf;
  function list() { var a = []; $setPrototypeOf(a, null); return a; }

  var SPECIAL = { __proto__: null, 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' };
  // Forbidden domain code points (URL Standard 3.1) besides C0 controls and non-ASCII.
  var FORBIDDEN = ' #%/:<>?@[\\]^|\x7f';
  var HEXDIGITS = '0123456789abcdef';

  function isControlOrSpace(c) { return c <= 0x20; }
  function isAlpha(c) { return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a); }
  function isDigit(c) { return c >= 0x30 && c <= 0x39; }

  // ---- punycode (RFC 3492), encoding only ----
  function adapt(delta, points, first) {
    delta = first ? $floor(delta / 700) : delta >> 1;
    delta += $floor(delta / points);
    var k = 0;
    for (; delta > 455; k += 36) { delta = $floor(delta / 35); }
    return $floor(k + 36 * delta / (delta + 38));
  }
  function digit(d) { return $fromCharCode(d < 26 ? d + 97 : d + 22); }
  function punycode(label) {
    var codes = list(), i, out = '';
    for (i = 0; i < label.length; i++) {
      var c = strCharCodeAt(label, i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < label.length) {
        c = 0x10000 + ((c - 0xd800) << 10) + (strCharCodeAt(label, i + 1) - 0xdc00);
        i++;
      }
      codes[codes.length] = c;
    }
    for (i = 0; i < codes.length; i++) { if (codes[i] < 0x80) { out += $fromCharCode(codes[i]); } }
    var basic = out.length, handled = basic, n = 128, delta = 0, bias = 72;
    if (basic) { out += '-'; }
    while (handled < codes.length) {
      var m = 0x10ffff;
      for (i = 0; i < codes.length; i++) { if (codes[i] >= n && codes[i] < m) { m = codes[i]; } }
      delta += (m - n) * (handled + 1);
      n = m;
      for (i = 0; i < codes.length; i++) {
        if (codes[i] < n) { delta++; }
        if (codes[i] === n) {
          var q = delta;
          for (var k = 36; ; k += 36) {
            var t = k <= bias ? 1 : (k >= bias + 26 ? 26 : k - bias);
            if (q < t) { break; }
            out += digit(t + (q - t) % (36 - t));
            q = $floor((q - t) / (36 - t));
          }
          out += digit(q);
          bias = adapt(delta, handled + 1, handled === basic);
          delta = 0;
          handled++;
        }
      }
      delta++; n++;
    }
    return 'xn--' + out;
  }

  // UTS 46 for the cases a host can meet here: compatibility forms folded (NFKC, so
  // full-width letters are letters), lower case, ideographic full stops as dots, and
  // every label with non-ASCII letters in its punycode form. null when not a domain.
  function domainToAscii(domain) {
    var mapped = strToLowerCase(strNormalize(domain, 'NFKC'));
    var labels = list(), label = '', wide = false;
    for (var i = 0; i <= mapped.length; i++) {
      var c = i < mapped.length ? strCharCodeAt(mapped, i) : 0x2e;
      if (c === 0x2e || c === 0x3002 || c === 0xff0e || c === 0xff61) {
        labels[labels.length] = wide ? punycode(label) : label;
        label = ''; wide = false;
      } else if (c === 0xad) {
        continue;  // a soft hyphen is ignored
      } else if (c < 0x21 || c === 0xfffd || (c >= 0x7f && c <= 0x9f) || strIndexOf(FORBIDDEN, mapped[i]) >= 0) {
        return null;
      } else {
        if (c >= 0x80) { wide = true; }
        label += mapped[i];
      }
    }
    var ascii = '';
    for (var j = 0; j < labels.length; j++) { ascii += (j ? '.' : '') + labels[j]; }
    return ascii === '' ? null : ascii;
  }

  // ---- IPv4 (URL Standard 3.5) ----
  function ipv4Number(part) {
    if (part === '') { return NaN; }
    var radix = 10;
    if (part.length > 1 && part[0] === '0' && (part[1] === 'x' || part[1] === 'X')) { part = strSlice(part, 2); radix = 16; }
    else if (part.length > 1 && part[0] === '0') { part = strSlice(part, 1); radix = 8; }
    if (part === '') { return 0; }
    for (var i = 0; i < part.length; i++) {
      var c = strToLowerCase(part[i]);
      var v = strIndexOf(HEXDIGITS, c);
      if (v < 0 || v >= radix) { return NaN; }
    }
    return $parseInt(part, radix);
  }
  function endsInANumber(host) {
    var parts = strSplit(host, '.');
    if (parts[parts.length - 1] === '') { if (parts.length === 1) { return false; } parts.length -= 1; }
    var last = parts[parts.length - 1];
    if (last !== '' && ipv4Number(last) === ipv4Number(last)) { return true; }
    for (var i = 0; i < last.length; i++) { if (!isDigit(strCharCodeAt(last, i))) { return false; } }
    return last !== '';
  }
  function parseIpv4(host) {
    var parts = strSplit(host, '.');
    if (parts[parts.length - 1] === '' && parts.length > 1) { parts.length -= 1; }
    if (parts.length > 4) { return null; }
    var numbers = list();
    for (var i = 0; i < parts.length; i++) {
      var n = ipv4Number(parts[i]);
      if (n !== n) { return null; }
      numbers[i] = n;
    }
    for (var j = 0; j < numbers.length - 1; j++) { if (numbers[j] > 255) { return null; } }
    var lastValue = numbers[numbers.length - 1];
    if (lastValue >= $pow(256, 5 - numbers.length)) { return null; }
    var ipv4 = lastValue;
    for (var k = 0; k < numbers.length - 1; k++) { ipv4 += numbers[k] * $pow(256, 3 - k); }
    var out = '';
    for (var b = 3; b >= 0; b--) { out += (b < 3 ? '.' : '') + ($floor(ipv4 / $pow(256, b)) % 256); }
    return out;
  }

  // ---- IPv6 (URL Standard 3.5), serialized with the longest run of zeros compressed ----
  function parseIpv6(text) {
    var pieces = [0, 0, 0, 0, 0, 0, 0, 0], index = 0, compress = -1, p = 0, len = text.length;
    if (text[0] === ':') { if (text[1] !== ':') { return null; } p = 2; compress = index = 1; }
    while (p < len) {
      if (index === 8) { return null; }
      if (text[p] === ':') { if (compress >= 0) { return null; } p++; compress = ++index; continue; }
      var value = 0, length = 0;
      while (length < 4 && p < len && strIndexOf(HEXDIGITS, strToLowerCase(text[p])) >= 0) {
        value = value * 16 + strIndexOf(HEXDIGITS, strToLowerCase(text[p])); p++; length++;
      }
      if (text[p] === '.') {
        if (length === 0 || index > 6) { return null; }
        var v4 = parseIpv4Strict(strSlice(text, p - length));
        if (v4 === null) { return null; }
        pieces[index] = v4[0] * 256 + v4[1]; pieces[index + 1] = v4[2] * 256 + v4[3];
        index += 2; p = len;
        break;
      }
      if (text[p] === ':') { p++; if (p >= len) { return null; } } else if (p < len) { return null; }
      pieces[index++] = value;
    }
    if (compress >= 0) {
      var swaps = index - compress;
      index = 7;
      while (index !== 0 && swaps > 0) {
        var tmp = pieces[compress + swaps - 1]; pieces[compress + swaps - 1] = pieces[index]; pieces[index] = tmp;
        index--; swaps--;
      }
    } else if (index !== 8) { return null; }
    var best = -1, bestLen = 1, run = -1;
    for (var i = 0; i <= 8; i++) {
      if (i < 8 && pieces[i] === 0) { if (run < 0) { run = i; } continue; }
      if (run >= 0 && i - run > bestLen) { best = run; bestLen = i - run; }
      run = -1;
    }
    var out = '', ignore0 = false;
    for (var q = 0; q < 8; q++) {
      if (ignore0 && pieces[q] === 0) { continue; }
      ignore0 = false;
      if (q === best) { out += q === 0 ? '::' : ':'; ignore0 = true; continue; }
      out += numToString(pieces[q], 16) + (q !== 7 ? ':' : '');
    }
    return '[' + out + ']';
  }
  function parseIpv4Strict(text) {
    var parts = strSplit(text, '.');
    if (parts.length !== 4) { return null; }
    var out = list();
    for (var i = 0; i < 4; i++) {
      var s = parts[i];
      if (s === '' || (s.length > 1 && s[0] === '0') || s.length > 3) { return null; }
      for (var j = 0; j < s.length; j++) { if (!isDigit(strCharCodeAt(s, j))) { return null; } }
      out[i] = $parseInt(s, 10);
      if (out[i] > 255) { return null; }
    }
    return out;
  }

  function percentDecode(s) {
    if (strIndexOf(s, '%') < 0) { return s; }
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var h = strSlice(s, i + 1, i + 3);
      if (s[i] === '%' && h.length === 2 && strIndexOf(HEXDIGITS, strToLowerCase(h[0])) >= 0 &&
          strIndexOf(HEXDIGITS, strToLowerCase(h[1])) >= 0) {
        out += s[i] + h; i += 2;
      } else {
        out += s[i] === '%' ? '%25' : s[i];
      }
    }
    try { return $decodeURIComponent(out); } catch (e) { return null; }
  }

  function parseHost(text) {
    if (text[0] === '[') { return text[text.length - 1] === ']' ? parseIpv6(strSlice(text, 1, -1)) : null; }
    var decoded = percentDecode(text);
    if (decoded === null) { return null; }
    var ascii = domainToAscii(decoded);
    if (ascii === null) { return null; }
    return endsInANumber(ascii) ? parseIpv4(ascii) : ascii;
  }

  // { scheme, host, port, hostport, path, query } of an absolute http(s)-like URL, or
  // null when no host can be read from it (then it counts as undeclared).
  function parseUrl(input) {
    var s = $String(input), from = 0, to = s.length, clean = '';
    while (from < to && isControlOrSpace(strCharCodeAt(s, from))) { from++; }
    while (to > from && isControlOrSpace(strCharCodeAt(s, to - 1))) { to--; }
    for (var i = from; i < to; i++) { var c = s[i]; if (c !== '\t' && c !== '\n' && c !== '\r') { clean += c; } }
    var colon = strIndexOf(clean, ':');
    if (colon < 1 || !isAlpha(strCharCodeAt(clean, 0))) { return null; }
    for (var k = 1; k < colon; k++) {
      var sc = strCharCodeAt(clean, k);
      if (!(isAlpha(sc) || isDigit(sc) || sc === 0x2b || sc === 0x2d || sc === 0x2e)) { return null; }
    }
    var scheme = strToLowerCase(strSlice(clean, 0, colon + 1));
    var special = SPECIAL[scheme] !== undefined;
    var p = colon + 1;
    if (special) {
      while (p < clean.length && (clean[p] === '/' || clean[p] === '\\')) { p++; }
    } else if (strSlice(clean, p, p + 2) === '//') {
      p += 2;
    } else {
      return null;
    }
    var end = p;
    while (end < clean.length && clean[end] !== '/' && clean[end] !== '?' && clean[end] !== '#' &&
           !(special && clean[end] === '\\')) { end++; }
    var authority = strSlice(clean, p, end);
    var at = strLastIndexOf(authority, '@');
    var hostport = at >= 0 ? strSlice(authority, at + 1) : authority;
    var inBrackets = false, split = -1;
    for (var j = 0; j < hostport.length && split < 0; j++) {
      if (hostport[j] === '[') { inBrackets = true; } else if (hostport[j] === ']') { inBrackets = false; }
      else if (hostport[j] === ':' && !inBrackets) { split = j; }
    }
    var hostText = split >= 0 ? strSlice(hostport, 0, split) : hostport;
    var port = split >= 0 ? strSlice(hostport, split + 1) : '';
    for (var d = 0; d < port.length; d++) { if (!isDigit(strCharCodeAt(port, d))) { return null; } }
    if (port !== '') {
      var number = $parseInt(port, 10);
      if (number > 65535) { return null; }
      port = number === $parseInt(SPECIAL[scheme] || '-1', 10) ? '' : '' + number;
    }
    if (hostText === '') { return null; }
    var host = special ? parseHost(hostText) : null;
    if (host === null) { return null; }
    var rest = strSlice(clean, end), path = '', query = '';
    var hash = strIndexOf(rest, '#');
    if (hash >= 0) { rest = strSlice(rest, 0, hash); }
    var question = strIndexOf(rest, '?');
    path = question >= 0 ? strSlice(rest, 0, question) : rest;
    query = question >= 0 ? strSlice(rest, question + 1) : '';
    var slashes = '';
    for (var m = 0; m < path.length; m++) { slashes += path[m] === '\\' ? '/' : path[m]; }
    return { __proto__: null, scheme: strSlice(scheme, 0, -1), host: host, port: port,
             hostport: host + (port ? ':' + port : ''), path: slashes || '/', query: query };
  }

  // hosts: lower-cased patterns from the manifest ("api.example.com", "api.example.com:8443",
  // "*.example.com"). A trailing dot on the host is not a different host.
  function isDeclared(u, hosts) {
    if (u === null || (u.scheme !== 'https' && u.scheme !== 'http')) { return false; }
    var host = u.host[u.host.length - 1] === '.' ? strSlice(u.host, 0, -1) : u.host;
    var port = u.port || SPECIAL[u.scheme + ':'];
    for (var i = 0; i < hosts.length; i++) {
      var pattern = hosts[i];
      var pc = strIndexOf(pattern, ':');
      var name = pc >= 0 ? strSlice(pattern, 0, pc) : pattern;
      if (pc >= 0 ? strSlice(pattern, pc + 1) !== port : u.port !== '') { continue; }
      if (strSlice(name, 0, 2) === '*.') {
        var suffix = strSlice(name, 1);
        if (host.length > suffix.length && strSlice(host, -suffix.length) === suffix) { return true; }
      } else if (host === name) {
        return true;
      }
    }
    return false;
  }

  return { parseUrl: parseUrl, isDeclared: isDeclared };
}
