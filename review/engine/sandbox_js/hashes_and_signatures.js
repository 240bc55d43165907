// Domo's hashes, HMAC and JWT signatures (md5, hmacSHA1, hmacSHA256, getJWT), on bytes,
// and base64. A module of the sandbox runtime (review/engine/sandbox_runtime.py
// assembles them): like the rest of the runtime, these use only built-ins captured
// before the connector's script ran and arrays without a prototype (`list()`), so a
// script that replaced String.prototype or Array.prototype changes no result here.
// Each is checked against a reference computation in tests/review/test_sandbox_helpers.py.
function makeHashesAndSignatures({ $BigInt, $floor, $pow, $String, $Number, $Error, $fromCharCode, $unescape,
                                   $encodeURIComponent, reviewNow, $keys, $isArray, strCharCodeAt, strIndexOf, strTrim,
                                   list, append, isObject, HEX, quote, serialize, csvLines }) {

  // ---- bytes, base64 ----
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function code(s, i) { var c = strCharCodeAt(s, i); return c === c ? c : 0; }
  function b64encode(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (code(bytes, i) << 16) | (code(bytes, i + 1) << 8) | code(bytes, i + 2);
      s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] +
        (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return s;
  }
  function b64index(ch) { return ch === undefined ? -1 : strIndexOf(B64, ch); }
  function b64decode(text) {
    var given = $String(text);
    var clean = '';
    for (var k = 0; k < given.length; k++) { if (strIndexOf(B64, given[k]) >= 0) { clean += given[k]; } }
    var bytes = '';
    for (var i = 0; i < clean.length; i += 4) {
      var n = (b64index(clean[i]) << 18) | (b64index(clean[i + 1]) << 12) |
        ((b64index(clean[i + 2]) & 63) << 6) | (b64index(clean[i + 3]) & 63);
      bytes += $fromCharCode((n >> 16) & 255);
      if (i + 2 < clean.length) { bytes += $fromCharCode((n >> 8) & 255); }
      if (i + 3 < clean.length) { bytes += $fromCharCode(n & 255); }
    }
    return bytes;
  }
  function utf8Bytes(text) {
    var binary = $unescape($encodeURIComponent($String(text)));
    var out = list();
    for (var i = 0; i < binary.length; i++) { append(out, strCharCodeAt(binary, i)); }
    return out;
  }
  function concatBytes() {
    var out = list();
    for (var a = 0; a < arguments.length; a++) {
      var part = arguments[a];
      for (var i = 0; i < part.length; i++) { append(out, part[i]); }
    }
    return out;
  }
  function bytesOf(n, value) { var out = list(); for (var i = 0; i < n; i++) { append(out, value); } return out; }
  function toHex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += HEX[(bytes[i] >> 4) & 15] + HEX[bytes[i] & 15]; }
    return s;
  }
  function bytesToBinary(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += $fromCharCode(bytes[i]); }
    return s;
  }
  function base64Url(bytes) {
    var s = b64encode(bytesToBinary(bytes));
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (c === '=') { break; }
      out += c === '+' ? '-' : c === '/' ? '_' : c;
    }
    return out;
  }

  // ---- MD5, SHA-1, SHA-256 (on bytes; 32-bit words with >>> 0) ----
  function padded(bytes, bigEndian) {
    var bitLength = bytes.length * 8;
    var out = concatBytes(bytes, [0x80]);
    while (out.length % 64 !== 56) { append(out, 0); }
    var lengthBytes = list();
    for (var i = 0; i < 8; i++) { append(lengthBytes, $floor(bitLength / $pow(2, 8 * i)) & 255); }
    for (var j = 0; j < 8; j++) { append(out, lengthBytes[bigEndian ? 7 - j : j]); }
    return out;
  }
  function rotl(x, n) { return ((x << n) | (x >>> (32 - n))) >>> 0; }
  function rotr(x, n) { return ((x >>> n) | (x << (32 - n))) >>> 0; }
  var MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  var MD5_K = list();
  for (var mk = 0; mk < 64; mk++) { append(MD5_K, $floor(Math.abs(Math.sin(mk + 1)) * 4294967296) >>> 0); }
  function md5(bytes) {
    var m = padded(bytes, false);
    var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    for (var off = 0; off < m.length; off += 64) {
      var w = list();
      for (var i = 0; i < 16; i++) {
        append(w, (m[off + 4 * i] | (m[off + 4 * i + 1] << 8) | (m[off + 4 * i + 2] << 16) | (m[off + 4 * i + 3] << 24)) >>> 0);
      }
      var a = h[0], b = h[1], c = h[2], d = h[3];
      for (var j = 0; j < 64; j++) {
        var f, g, round = j >> 4;
        if (round === 0) { f = (b & c) | (~b & d); g = j; }
        else if (round === 1) { f = (d & b) | (~d & c); g = (5 * j + 1) % 16; }
        else if (round === 2) { f = b ^ c ^ d; g = (3 * j + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * j) % 16; }
        var t = d;
        d = c; c = b;
        b = (b + rotl((a + f + MD5_K[j] + w[g]) >>> 0, MD5_S[round * 4 + (j % 4)])) >>> 0;
        a = t;
      }
      h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0; h[3] = (h[3] + d) >>> 0;
    }
    var out = list();
    for (var k = 0; k < 4; k++) { for (var n = 0; n < 4; n++) { append(out, (h[k] >>> (8 * n)) & 255); } }
    return out;
  }
  function bigEndianWords(m, off, count) {
    var w = list();
    for (var i = 0; i < count; i++) {
      append(w, ((m[off + 4 * i] << 24) | (m[off + 4 * i + 1] << 16) | (m[off + 4 * i + 2] << 8) | m[off + 4 * i + 3]) >>> 0);
    }
    return w;
  }
  function wordsToBytes(h) {
    var out = list();
    for (var i = 0; i < h.length; i++) { for (var n = 3; n >= 0; n--) { append(out, (h[i] >>> (8 * n)) & 255); } }
    return out;
  }
  function sha1(bytes) {
    var m = padded(bytes, true);
    var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
    for (var off = 0; off < m.length; off += 64) {
      var w = bigEndianWords(m, off, 16);
      for (var i = 16; i < 80; i++) { append(w, rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1)); }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
      for (var j = 0; j < 80; j++) {
        var f, k;
        if (j < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
        else if (j < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
        else if (j < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
        else { f = b ^ c ^ d; k = 0xca62c1d6; }
        var t = (rotl(a, 5) + f + e + k + w[j]) >>> 0;
        e = d; d = c; c = rotl(b, 30); b = a; a = t;
      }
      h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0;
      h[3] = (h[3] + d) >>> 0; h[4] = (h[4] + e) >>> 0;
    }
    return wordsToBytes(h);
  }
  var SHA256_K = list();
  (function () {
    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    var found = 0;
    for (var n = 2; found < 64; n++) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
      if (prime) {
        var root = $pow(n, 1 / 3);
        append(SHA256_K, $floor((root - $floor(root)) * 4294967296) >>> 0);
        found += 1;
      }
    }
  })();
  function sha256(bytes) {
    var m = padded(bytes, true);
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    for (var off = 0; off < m.length; off += 64) {
      var w = bigEndianWords(m, off, 16);
      for (var i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        append(w, (w[i - 16] + s0 + w[i - 7] + s1) >>> 0);
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (var j = 0; j < 64; j++) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[j] + w[j]) >>> 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0; h[3] = (h[3] + d) >>> 0;
      h[4] = (h[4] + e) >>> 0; h[5] = (h[5] + f) >>> 0; h[6] = (h[6] + g) >>> 0; h[7] = (h[7] + hh) >>> 0;
    }
    return wordsToBytes(h);
  }
  function hmac(hash, key, message) {
    if (key.length > 64) { key = hash(key); }
    var block = concatBytes(key, bytesOf(64 - key.length, 0));
    var inner = list(), outer = list();
    for (var i = 0; i < 64; i++) { append(inner, block[i] ^ 0x36); append(outer, block[i] ^ 0x5c); }
    return hash(concatBytes(outer, hash(concatBytes(inner, message))));
  }

  // ---- big numbers, DER keys, RSA and P-256 signatures for getJWT ----
  function bytesToBig(bytes) {
    var n = $BigInt(0);
    for (var i = 0; i < bytes.length; i++) { n = (n << $BigInt(8)) | $BigInt(bytes[i]); }
    return n;
  }
  function bigToBytes(n, length) {
    var out = bytesOf(length, 0);
    for (var i = length - 1; i >= 0; i--) { out[i] = $Number(n & $BigInt(255)); n = n >> $BigInt(8); }
    return out;
  }
  function modPow(base, exponent, modulus) {
    var result = $BigInt(1);
    base = base % modulus;
    while (exponent > $BigInt(0)) {
      if (exponent & $BigInt(1)) { result = result * base % modulus; }
      exponent = exponent >> $BigInt(1);
      base = base * base % modulus;
    }
    return result;
  }
  function modInverse(a, m) {
    var r0 = ((a % m) + m) % m, r1 = m, s0 = $BigInt(1), s1 = $BigInt(0);
    while (r1 !== $BigInt(0)) {
      var q = r0 / r1, t = r0 - q * r1;
      r0 = r1; r1 = t;
      t = s0 - q * s1; s0 = s1; s1 = t;
    }
    return ((s0 % m) + m) % m;
  }
  function pemBytes(pem) {
    var text = $String(pem), body = '';
    var lines = csvLines(text);
    for (var i = 0; i < lines.length; i++) {
      if (strIndexOf(lines[i], '-----') !== 0) { body += strTrim(lines[i]); }
    }
    var binary = b64decode(body);
    var out = list();
    for (var j = 0; j < binary.length; j++) { append(out, strCharCodeAt(binary, j)); }
    return out;
  }
  // One DER element at `at`: {tag, start, end} of its content.
  function derAt(bytes, at) {
    if (at + 2 > bytes.length) { throw new $Error('DOMO.getJWT: the key is not a PEM key it can read'); }
    var tag = bytes[at], length = bytes[at + 1], start = at + 2;
    if (length & 0x80) {
      var count = length & 0x7f;
      length = 0;
      for (var i = 0; i < count; i++) { length = length * 256 + bytes[start + i]; }
      start += count;
    }
    if (start + length > bytes.length) { throw new $Error('DOMO.getJWT: the key is not a PEM key it can read'); }
    return { __proto__: null, tag: tag, start: start, end: start + length };
  }
  function derChildren(bytes, element) {
    var out = list();
    for (var at = element.start; at < element.end;) {
      var child = derAt(bytes, at);
      append(out, child);
      at = child.end;
    }
    return out;
  }
  function derSlice(bytes, element) {
    var out = list();
    for (var i = element.start; i < element.end; i++) { append(out, bytes[i]); }
    return out;
  }
  function rsaKey(pem) {
    var bytes = pemBytes(pem);
    var top = derChildren(bytes, derAt(bytes, 0));
    if (top.length >= 3 && top[1].tag === 0x30 && top[2].tag === 0x04) {  // PKCS#8 around PKCS#1
      bytes = derSlice(bytes, top[2]);
      top = derChildren(bytes, derAt(bytes, 0));
    }
    if (top.length < 4) { throw new $Error('DOMO.getJWT: RS256 needs an RSA private key in PEM form'); }
    return { __proto__: null, n: bytesToBig(derSlice(bytes, top[1])), d: bytesToBig(derSlice(bytes, top[3])) };
  }
  var SHA256_DIGEST_INFO = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
                            0x05, 0x00, 0x04, 0x20];
  function rs256(message, pem) {
    var key = rsaKey(pem);
    var length = 0;
    for (var n = key.n; n > $BigInt(0); n = n >> $BigInt(8)) { length += 1; }
    var digest = concatBytes(SHA256_DIGEST_INFO, sha256(message));
    var encoded = concatBytes([0, 1], bytesOf(length - digest.length - 3, 0xff), [0], digest);
    return bigToBytes(modPow(bytesToBig(encoded), key.d, key.n), length);
  }
  var P256 = {
    __proto__: null,
    p: $BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: $BigInt('0xffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    n: $BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    gx: $BigInt('0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: $BigInt('0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5')
  };
  function mod(a, m) { var r = a % m; return r < $BigInt(0) ? r + m : r; }
  function pointAdd(P, Q) {
    if (P === null) { return Q; }
    if (Q === null) { return P; }
    var p = P256.p, l;
    if (P.x === Q.x) {
      if (mod(P.y + Q.y, p) === $BigInt(0)) { return null; }
      l = mod(($BigInt(3) * P.x * P.x + P256.a) * modInverse($BigInt(2) * P.y, p), p);
    } else {
      l = mod((Q.y - P.y) * modInverse(Q.x - P.x, p), p);
    }
    var x = mod(l * l - P.x - Q.x, p);
    return { __proto__: null, x: x, y: mod(l * (P.x - x) - P.y, p) };
  }
  function pointMultiply(k, P) {
    var result = null;
    for (var addend = P; k > $BigInt(0); k = k >> $BigInt(1)) {
      if (k & $BigInt(1)) { result = pointAdd(result, addend); }
      addend = pointAdd(addend, addend);
    }
    return result;
  }
  function ecKey(pem) {
    var bytes = pemBytes(pem);
    var top = derChildren(bytes, derAt(bytes, 0));
    if (top.length >= 3 && top[1].tag === 0x30 && top[2].tag === 0x04) {  // PKCS#8 around SEC 1
      bytes = derSlice(bytes, top[2]);
      top = derChildren(bytes, derAt(bytes, 0));
    }
    if (top.length < 2 || top[1].tag !== 0x04) { throw new $Error('DOMO.getJWT: ES256 needs a P-256 private key in PEM form'); }
    return bytesToBig(derSlice(bytes, top[1]));
  }
  // ECDSA with a deterministic nonce (RFC 6979, HMAC-SHA256): no random source needed.
  function es256(message, pem) {
    var d = ecKey(pem), n = P256.n;
    var h = sha256(message);
    var e = bytesToBig(h);
    var x = bigToBytes(d, 32), h1 = bigToBytes(mod(e, n), 32);
    var V = bytesOf(32, 1), K = bytesOf(32, 0);
    K = hmac(sha256, K, concatBytes(V, [0], x, h1)); V = hmac(sha256, K, V);
    K = hmac(sha256, K, concatBytes(V, [1], x, h1)); V = hmac(sha256, K, V);
    for (;;) {
      V = hmac(sha256, K, V);
      var k = bytesToBig(V);
      if (k > $BigInt(0) && k < n) {
        var R = pointMultiply(k, { __proto__: null, x: P256.gx, y: P256.gy });
        var r = mod(R.x, n);
        var s = mod(modInverse(k, n) * (e + r * d), n);
        if (r !== $BigInt(0) && s !== $BigInt(0)) { return concatBytes(bigToBytes(r, 32), bigToBytes(s, 32)); }
      }
      K = hmac(sha256, K, concatBytes(V, [0])); V = hmac(sha256, K, V);
    }
  }
  // The JSON of a JWT part: the builder's own values, written without JSON.stringify.
  function jsonText(v) {
    if (v === undefined || typeof v === 'function') { return 'null'; }
    if (!isObject(v)) { return serialize(v); }
    var keys = $keys(v), i, s;
    if ($isArray(v)) {
      s = '[';
      for (i = 0; i < v.length; i++) { s += (i ? ',' : '') + jsonText(v[i]); }
      return s + ']';
    }
    s = '{';
    for (i = 0; i < keys.length; i++) { s += (i ? ',' : '') + quote(keys[i]) + ':' + jsonText(v[keys[i]]); }
    return s + '}';
  }
  // A JWT signed as the script's DOMO.jwtBuilder says (`builder`, read when called).
  function getJWT(builder) {
    var b = builder || {};
    var algorithm = $String(b.algorithm || 'HS256');
    var now = $floor(reviewNow() / 1000);
    var payload = { __proto__: null };
    if (b.issuer !== undefined && b.issuer !== null) { payload.iss = $String(b.issuer); }
    if (b.subject !== undefined && b.subject !== null) { payload.sub = $String(b.subject); }
    payload.iat = now;
    // `expiration`: seconds from now that the token stays valid (1 hour when not given).
    payload.exp = now + ($Number(b.expiration) > 0 ? $floor($Number(b.expiration)) : 3600);
    var claims = isObject(b.claims) ? b.claims : {};
    var claimKeys = $keys(claims);
    for (var i = 0; i < claimKeys.length; i++) { payload[claimKeys[i]] = claims[claimKeys[i]]; }
    var signingInput = base64Url(utf8Bytes('{"alg":' + quote(algorithm) + ',"typ":"JWT"}')) + '.' +
      base64Url(utf8Bytes(jsonText(payload)));
    var message = utf8Bytes(signingInput);
    var key = b.authKey === undefined || b.authKey === null ? '' : $String(b.authKey);
    var signature;
    if (algorithm === 'HS256') { signature = hmac(sha256, utf8Bytes(key), message); }
    else if (algorithm === 'RS256') { signature = rs256(message, key); }
    else if (algorithm === 'ES256') { signature = es256(message, key); }
    else { throw new $Error('DOMO.getJWT: algorithm ' + algorithm + ' is not one of HS256, RS256, ES256'); }
    return signingInput + '.' + base64Url(signature);
  }

  return { utf8Bytes: utf8Bytes, toHex: toHex, md5: md5, sha1: sha1, sha256: sha256, hmac: hmac, getJWT: getJWT,
           b64encode: b64encode, b64decode: b64decode };
}
