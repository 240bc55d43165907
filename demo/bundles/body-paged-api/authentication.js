// Checks the API key with an empty search.
httprequest.addHeader('Authorization', 'Token ' + metadata.account.apikey);
httprequest.addHeader('Content-Type', 'application/json');
httprequest.post('https://helpdesk.example-support.io/api/search', JSON.stringify({ query: 'type:ticket', offset: 0, limit: 1 }));
if (httprequest.getStatusCode() === 200) {
  auth.authenticationSuccess();
} else {
  auth.authenticationFailed('The helpdesk did not accept this API key.');
}
