// Checks the key pair against the API: every request is signed with HMAC-SHA256.
function sign(method, path) {
  var stamp = '1764547200';
  httprequest.clearHeaders();
  httprequest.addHeader('X-Key-Id', metadata.account.key_id);
  httprequest.addHeader('X-Timestamp', stamp);
  httprequest.addHeader('X-Signature', DOMO.hmacSHA256(method + '\n' + path + '\n' + stamp, metadata.account.signing_secret));
}
sign('GET', '/v3/account');
httprequest.get('https://api.example-billing.com/v3/account');
if (httprequest.getStatusCode() === 200) {
  auth.authenticationSuccess();
} else {
  auth.authenticationFailed('The API did not accept this key pair.');
}
