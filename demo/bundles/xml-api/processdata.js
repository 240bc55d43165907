// Shipments: XML pages of 400 rows; an empty <shipments/> ends the list.
httprequest.addHeader('Authorization', 'Basic ' + DOMO.b64EncodeUnicode(metadata.account.username + ':' + metadata.account.password));
var start = 0;
while (true) {
  var xml = httprequest.get('https://xml.example-shipping.net/api/shipments?start=' + start + '&count=400');
  var doc = DOMO.parseXML(xml);
  if (typeof doc.shipments !== 'object' || !doc.shipments.shipment) {
    break;
  }
  datagrid.magicParseXML(xml);
  DOMO.log('shipments from ' + start + ': ' + doc.shipments.shipment.length);
  start += 400;
}
