// Invoices: JSON pages of 500; each request carries an HMAC-SHA256 signature, never the secret.
function sign(method, path) {
  var stamp = '1764547200';
  httprequest.clearHeaders();
  httprequest.addHeader('X-Key-Id', metadata.account.key_id);
  httprequest.addHeader('X-Timestamp', stamp);
  httprequest.addHeader('X-Signature', DOMO.hmacSHA256(method + '\n' + path + '\n' + stamp, metadata.account.signing_secret));
}
var page = 1;
while (true) {
  var path = '/v3/invoices?page=' + page;
  sign('GET', path);
  var body = JSON.parse(httprequest.get('https://api.example-billing.com' + path));
  if (httprequest.getStatusCode() !== 200) {
    datagrid.error(httprequest.getStatusCode(), 'The API refused page ' + page);
  }
  if (!body.invoices.length) {
    break;
  }
  datagrid.magicParseJSON(body.invoices);
  page += 1;
}
