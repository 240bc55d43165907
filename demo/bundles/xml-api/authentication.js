// Checks the username and password against the XML API (Basic authentication).
httprequest.addHeader('Authorization', 'Basic ' + DOMO.b64EncodeUnicode(metadata.account.username + ':' + metadata.account.password));
var reply = DOMO.parseXML(httprequest.get('https://xml.example-shipping.net/api/whoami'));
if (httprequest.getStatusCode() === 200 && reply.user && reply.user.name) {
  auth.authenticationSuccess();
} else {
  auth.authenticationFailed('The shipping API did not accept this username and password.');
}
