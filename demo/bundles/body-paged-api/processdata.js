// Tickets: one search URL, paged by the offset in the POST body; an empty page ends it.
httprequest.addHeader('Authorization', 'Token ' + metadata.account.apikey);
httprequest.addHeader('Content-Type', 'application/json');
var offset = 0;
while (true) {
  var reply = JSON.parse(httprequest.post('https://helpdesk.example-support.io/api/search',
    JSON.stringify({ query: 'type:ticket', offset: offset, limit: 250 })));
  if (!reply.results.length) {
    break;
  }
  datagrid.magicParseJSON(reply.results);
  offset += reply.results.length;
}
