// Events: the access token from the identity service, then JSON pages with a cursor.
function accessToken() {
  DOMO.jwtBuilder.algorithm = 'RS256';
  DOMO.jwtBuilder.authKey = metadata.account.private_key;
  DOMO.jwtBuilder.issuer = metadata.account.client_email;
  DOMO.jwtBuilder.subject = metadata.account.client_email;
  DOMO.jwtBuilder.claims = { aud: 'https://oauth2.example-identity.com/token', scope: 'analytics.read' };
  DOMO.jwtBuilder.expiration = 3600;
  httprequest.addHeader('Content-Type', 'application/x-www-form-urlencoded');
  var reply = httprequest.post('https://oauth2.example-identity.com/token',
    'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=' + DOMO.getJWT());
  httprequest.clearHeaders();
  return httprequest.getStatusCode() === 200 ? JSON.parse(reply).access_token : null;
}

httprequest.addHeader('Authorization', 'Bearer ' + accessToken());
var cursor = '';
do {
  var page = JSON.parse(httprequest.get('https://api.example-analytics.com/v2/events?limit=450' + (cursor ? '&cursor=' + cursor : '')));
  datagrid.magicParseJSON(page.events);
  cursor = page.next_cursor;
} while (cursor);
