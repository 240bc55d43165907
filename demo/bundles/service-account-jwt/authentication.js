// A service account: an RS256 JWT signed with its private key buys an access token.
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

if (accessToken()) {
  auth.authenticationSuccess();
} else {
  auth.authenticationFailed('The identity service refused the service account.');
}
