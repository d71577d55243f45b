/**
 * ETSI test cases that fail because of the broker, with what it answered against what the suite
 * expects. Keyed by ETSI id, or by the full test-case name where the suite reuses an id. Listed
 * cases run as node:test `todo`: the suite stays green while the numbers stay honest. Remove an
 * entry as soon as its case passes.
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  '001_02_02':
    'expected InvalidRequest, got 400 BadRequestData: the body must be a JSON object on POST /entities/',
  '001_05_02': 'retrieved entity lacks member ngsi-ld:default-context/almostFull',
  '003_05_02': 'retrieved entity lacks member ngsi-ld:default-context/almostFull',
  '003_08_01':
    'expected 207, got 400 on POST /entityOperations/create (BadRequestData: with application/ld+json every entity of a batch needs an @context)',
  '003_09_01':
    'expected 400, got 207 on POST /entityOperations/create (errors[0].error BadRequestData: a Link header @context is not allowed with application/ld+json)',
  '005_02_01': 'expected 207, got 204 on POST /entityOperations/update?options=noOverwrite',
  '005_02_03': 'expected 207, got 204 on POST /entityOperations/update?options=noOverwrite',
  '005_05_01':
    'body differs: root[\'urn:ngsi-ld:Building:{id}\'][\'type\']: expected ["Building","Vehicle"], got "Building"; root[\'urn:ngsi-ld:Building:{id}\'][\'type\']: expected ["Building","Vehicle"], got "Building"',
  '010_04_01': 'updated: expected https://uri.etsi.org/ngsi-ld/default-context/attribute_to_be_added',
  '010_07_01 Append Scope To An Entity With Overwrite Disabled':
    'expected 204, got 400 on POST /entities/urn:ngsi-ld:Vehicle:{id}/attrs/?options=noOverwrite (BadRequestData: the body has no attributes to append)',
  '010_07_01 Append Scope To An Entity With Overwrite Enabled':
    'expected 204, got 400 on POST /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to append)',
  '011_01_03':
    'expected 204, got 207 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ ({"updated":["speed"],"notUpdated":[{"attributeName":"isParked2","reason":"attribute does not exist"}]})',
  '011_05_01':
    'expected 204, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to update)',
  '011_05_02':
    'expected 207, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to update)',
  '011_06_01':
    'expected 204, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to update)',
  '011_06_02':
    'expected 204, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to update)',
  '011_06_03':
    'expected 204, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to update)',
  '011_06_04':
    'expected 204, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (BadRequestData: the body has no attributes to update)',
  '011_07_01': 'body differs: root[\'name\'] is unexpected: {"type":"Property","value":"urn:ngsi-ld:null"}',
  '011_07_02':
    'body differs: root[\'locatedAt\'] is unexpected: {"type":"Relationship","object":"urn:ngsi-ld:null"}',
  '011_07_03':
    'expected 204, got 500 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (InternalError: internal error; request id {localId})',
  '011_07_04':
    'body differs: root[\'street\'] is unexpected: {"type":"LanguageProperty","languageMap":{"@none":"urn:ngsi-ld:null"}}',
  '011_08_01':
    'body differs: root[\'name\']: expected {"type":"Property","value":"The iron lady","datasetId":"urn:ngsi-ld:Dataset:02"}, got [{"type":"Property","value":"urn:ngsi-ld:',
  '011_08_02':
    'body differs: root[\'locatedAt\']: expected {"type":"Relationship","object":"urn:ngsi-ld:District:Paris:08","datasetId":"urn:ngsi-ld:Dataset:02"}, got [{"type":"Relat',
  '011_08_03':
    'expected 204, got 500 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (InternalError: internal error; request id {localId})',
  '011_08_04':
    'body differs: root[\'street\']: expected {"type":"LanguageProperty","languageMap":{"fr":"Avenue Gustave Eiffel","en":"Avenue Gustave Eiffel"},"datasetId":"urn:ngsi-ld',
  '011_09_01':
    'body differs: root[\'name\']: expected {"type":"Property","value":"Eiffel Tower","datasetId":"urn:ngsi-ld:Dataset:01"}, got [{"type":"Property","value":"Eiffel Tower"',
  '011_09_02':
    'body differs: root[\'locatedAt\']: expected {"type":"Relationship","datasetId":"urn:ngsi-ld:Dataset:01","object":"urn:ngsi-ld:City:Paris"}, got [{"type":"Relationship',
  '011_09_03':
    'expected 204, got 500 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/ (InternalError: internal error; request id {localId})',
  '011_09_04':
    'body differs: root[\'street\']: expected {"type":"LanguageProperty","datasetId":"urn:ngsi-ld:Dataset:01","languageMap":{"fr":"Jardin de la Tour Eiffel","en":"Eiffel T',
  '012_01_01':
    "expected 204, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/isParked (BadRequestData: attribute 'isParked': a Property needs a non-null value)",
  '012_02_03': 'expected 400, got 204 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/speed',
  '012_03_01':
    "expected 404, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/speed (BadRequestData: attribute 'speed': a Property needs a non-null value)",
  '012_03_04':
    "expected 404, got 400 on PATCH /entities/urn:ngsi-ld:Vehicle:{id}/attrs/isParked2 (BadRequestData: attribute 'isParked2': a Property needs a non-null value)",
  '012_04_01':
    'body differs: root[\'street\'][\'providedBy\'] is missing (expected {"type":"Relationship","object":"urn:ngsi-ld:Person:JohnDoe"})',
  '012_08_01':
    'body differs: root[\'jsonProperty\'][\'providedBy\'] is missing (expected {"type":"Relationship","object":"urn:ngsi-ld:Person:JohnDoe"})',
  '012_09_01':
    'body differs: root[\'vocabProperty\'][\'providedBy\'] is missing (expected {"type":"Relationship","object":"urn:ngsi-ld:Person:JohnDoe"})',
  '013_02_03':
    'expected 405, got 404 on DELETE /entities/urn:ngsi-ld:Vehicle:{id}/attrs/?deleteAll=false (ResourceNotFound: no resource at DELETE /ngsi-ld/v1/entities/urn:ngsi-ld:Vehicle:{id}/attrs)',
  '013_04':
    "expected 204, got 404 on DELETE /entities/urn:ngsi-ld:Vehicle:{id}/attrs/scope?deleteAll=false (ResourceNotFound: attribute 'https://uri.etsi.org/ngsi-ld/scope' not found in entity 'urn:ngsi-ld:Vehicle:{id}')",
  '018_03_02':
    'expected 404, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?attrs=property_not_found ({"@context":"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld","id":"urn:ngsi-ld:Building:4791)',
  '018_16_01':
    "expected InvalidRequest, got 400 BadRequestData: format: unknown value 'invalidFormat' on GET /entities/urn:ngsi-ld:Building:{id}?format=invalidFormat",
  '018_16_02':
    "expected InvalidRequest, got 400 BadRequestData: options: unknown value 'invalidOptions' on GET /entities/urn:ngsi-ld:Building:{id}?options=invalidOptions",
  '018_16_03':
    "expected InvalidRequest, got 400 BadRequestData: options: unknown value 'invalid' on GET /entities/urn:ngsi-ld:Building:{id}?options=keyValues%2Cinvalid",
  '018_16_04':
    "expected InvalidRequest, got 400 BadRequestData: options: unknown value 'invalid' on GET /entities/urn:ngsi-ld:Building:{id}?format=keyValues&options=invalid",
  '018_18_02':
    'expected 400, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?attrs=category&pick=name ({})',
  '018_18_03':
    'expected 400, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?attrs=category&omit=name ({"id":"urn:ngsi-ld:Building:{id}","type":"Building"})',
  '018_18_05':
    'expected 400, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?pick=id%2ClocatedAt%7Bname ({"id":"urn:ngsi-ld:Building:{id}"})',
  '018_18_06':
    'expected 400, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?pick=id%2ClocatedAt%7B%7Bname%7D ({"id":"urn:ngsi-ld:Building:{id}"})',
  '018_18_08':
    'expected 400, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?pick=id%2ClocatedAt%7B%2Cname%7D ({"id":"urn:ngsi-ld:Building:{id}"})',
  '018_18_09':
    'expected 400, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?pick=id%2ClocatedAt%7B%7D ({"id":"urn:ngsi-ld:Building:{id}"})',
  '018_19_01': 'expected 404, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?pick=unknown ({})',
  '018_19_02':
    'expected 404, got 200 on GET /entities/urn:ngsi-ld:Building:{id}?omit=id%2Ctype%2Cname%2CsubCategory%2CairQualityLevel%2CalmostFull ({})',
  '019_01_06 QueryNonEmptyScope': 'expected 2 entities, got []',
  '019_01_06 QueryWithAndScope': 'expected 1 entities, got []',
  '019_01_06 QueryWithHashMatching': 'expected 1 entities, got []',
  '019_01_06 QueryWithPlusMatching': 'expected 2 entities, got []',
  '019_02_01':
    'expected 200, got 404 on POST /entityOperations/query (ResourceNotFound: no resource at POST /ngsi-ld/v1/entityOperations/query)',
  '019_02_02':
    'expected 200, got 404 on POST /entityOperations/query (ResourceNotFound: no resource at POST /ngsi-ld/v1/entityOperations/query)',
  '019_02_03':
    'expected 200, got 404 on POST /entityOperations/query (ResourceNotFound: no resource at POST /ngsi-ld/v1/entityOperations/query)',
  '019_02_04':
    'expected 200, got 404 on POST /entityOperations/query (ResourceNotFound: no resource at POST /ngsi-ld/v1/entityOperations/query)',
  '019_02_05':
    'expected 200, got 404 on POST /entityOperations/query (ResourceNotFound: no resource at POST /ngsi-ld/v1/entityOperations/query)',
  '019_02_06':
    'expected 200, got 404 on POST /entityOperations/query (ResourceNotFound: no resource at POST /ngsi-ld/v1/entityOperations/query)',
  '019_03_03': 'expected 400, got 200 on GET /entities/?attrs=id%2Ctype ([])',
  '019_03_05':
    'expected 400, got 200 on GET /entities/?id=urn%3Angsi-ld%3AEntity%3A01%2Curn%3Angsi-ld%3AEntity%3A02 ([])',
  '019_12_02':
    'body differs: root[\'name\']: expected {"type":"Property","value":"Tour Eiffel","datasetId":"urn:ngsi-ld:Dataset:french-name"}, got [{"type":"Property","value":"Eiffe; root[\'locatedAt\']: expected {"type":"Relationship","object":"urn:ngsi-ld:Ville:Paris","datasetId":"urn:ngsi-ld:Dataset:french-name"...',
  '019_12_03':
    'body differs: root[\'name\']: expected {"type":"Property","value":"Tour Eiffel","datasetId":"urn:ngsi-ld:Dataset:french-name"}, got [{"type":"Property","value":"Eiffe; root[\'locatedAt\'][0] is unexpected: {"type":"Relationship","object":"urn:ngsi-ld:City:Paris"}',
  '019_12_04':
    'body differs: root[\'name\']: expected {"type":"Property","value":"Eiffel Tower"}, got [{"type":"Property","value":"Eiffel Tower"},{"type":"Property","value":"Tour Ei; root[\'locatedAt\']: expected {"type":"Relationship","object":"urn:ngsi-ld:City:Paris"}, got [{"type":"Relationship","object":"urn:ng...',
  '019_12_05':
    'body differs: root[\'name\']: expected {"type":"Property","value":"Eiffel Tower"}, got [{"type":"Property","value":"Eiffel Tower"},{"type":"Property","value":"Tour Ei',
  '019_12_06':
    'body differs: root[\'name\']: expected {"type":"Property","value":"Eiffelturm","datasetId":"urn:ngsi-ld:Dataset:german-name"}, got [{"type":"Property","value":"Eiffel',
  '019_12_07':
    'body differs: root[\'name\'] is unexpected: [{"type":"Property","value":"Eiffel Tower"},{"type":"Property","value":"Tour Eiffel","datasetId":"urn:ngsi-ld:Dataset:fren',
  '019_17_01': 'body differs: root[2] is unexpected: {}',
  '019_18_02':
    'expected 400, got 200 on GET /entities/?type=Building%2CVehicle&pick=name&attrs=category ([])',
  '019_18_03':
    'expected 400, got 200 on GET /entities/?type=Building%2CVehicle&omit=name&attrs=category ([])',
  '019_18_05':
    'expected 400, got 200 on GET /entities/?type=Building%2CVehicle&pick=id%2ClocatedAt%7Bname ([{"id":"urn:ngsi-ld:Building:019-18-1"},{"id":"urn:ngsi-ld:Building:019-18-3"},{"id":"urn:ngsi-ld:Vehicle:019-)',
  '019_18_06':
    'expected 400, got 200 on GET /entities/?type=Building%2CVehicle&pick=id%2ClocatedAt%7B%7Bname%7D ([{"id":"urn:ngsi-ld:Building:019-18-1"},{"id":"urn:ngsi-ld:Building:019-18-3"},{"id":"urn:ngsi-ld:Vehicle:019-)',
  '019_18_08':
    'expected 400, got 200 on GET /entities/?type=Building%2CVehicle&pick=id%2ClocatedAt%7B%2Cname%7D ([{"id":"urn:ngsi-ld:Building:019-18-1"},{"id":"urn:ngsi-ld:Building:019-18-3"},{"id":"urn:ngsi-ld:Vehicle:019-)',
  '019_18_09':
    'expected 400, got 200 on GET /entities/?type=Building%2CVehicle&pick=id%2ClocatedAt%7B%7D ([{"id":"urn:ngsi-ld:Building:019-18-1"},{"id":"urn:ngsi-ld:Building:019-18-3"},{"id":"urn:ngsi-ld:Vehicle:019-)',
  '019_19_01':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=name (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_02':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=id (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_03':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=createdAt (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_04':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=name.createdAt (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_05':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=name.subProperty (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_06':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=name%3Basc (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_07':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=name%3Bdesc (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_08':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=type%2Cname (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_19_09':
    "expected 200, got 501 on GET /entities/?type=Building&orderBy=type%3Basc%2Cname.subProperty%3Bdesc%2Cname%3Basc (NotImplemented: query parameter 'orderBy' is not implemented)",
  '019_25':
    'expected 200, got 400 on GET /entities/?local=true (BadRequestData: Query Entities needs at least one of type, id, idPattern, attrs, q, geoQ or scopeQ)',
  '050_01_02':
    'expected 201, got 400 on POST /jsonldContexts (BadRequestData: @context must be an object of term definitions)',
  '050_02_01':
    'expected InvalidRequest, got 400 BadRequestData: the body must be a JSON object with an @context member on POST /jsonldContexts',
  '050_03_01': 'no ImplicitlyCreated @context listed: []',
  '050_04_01':
    'expected 201, got 400 on POST /jsonldContexts (BadRequestData: @context must be an object of term definitions)',
  '051_03_01':
    'expected 201, got 400 on POST /jsonldContexts (BadRequestData: @context must be an object of term definitions)',
  '051_04_01':
    "expected 400, got 404 on DELETE /jsonldContexts/wrong_id_context?reload=true (ResourceNotFound: no @context 'wrong_id_context')",
  '051_04_04':
    "expected 400, got 404 on DELETE /jsonldContexts/wrong_id_context?reload=xxx (ResourceNotFound: no @context 'wrong_id_context')",
  '051_06_01':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '051_07_01': 'no ImplicitlyCreated @context listed: []',
  '051_09_01':
    'expected 204, got 400 on DELETE /jsonldContexts/https%3A%2F%2Furi.etsi.org%2Fngsi-ld%2Fv1%2Fngsi-ld-core-context-v1.8.jsonld?reload=true (BadRequestData: the core @context cannot be deleted)',
  '052_05_02': 'createdAt is not a DateTime: undefined',
  '052_06_01':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_02':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_03':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_04':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_05':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_06':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_07':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_06_08':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '052_07_01':
    'https://forge.etsi.org/rep/cim/ngsi-ld-test-suite/-/raw/develop/resources/jsonld-contexts/ngsi-ld-test-suite.jsonld is not listed in [{"URL":"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.',
  '053_01_01': 'expected Content-Type: application/json, got application/ld+json',
  '053_01_02': 'expected Content-Type: application/json, got application/ld+json',
  '053_02_01': 'createdAt is not a DateTime: undefined',
  '053_04_01': 'numberOfHits: expected 0, got 1',
  '053_05_01':
    "expected 200, got 404 on GET /jsonldContexts/http%3A%2F%2F127.0.0.1%3A{port}%2Fapi%2Fv1%2Fcontext.jsonld?details=true (ResourceNotFound: no @context 'http://127.0.0.1:{port}/api/v1/context.jsonld')",
  '053_06_01': 'numberOfHits: expected 3, got 1',
  '053_07_01':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '053_08_01':
    'no jsonldContext in {"id":"urn:ngsi-ld:subscriptions:01","type":"Subscription","entities":[{"type":"T1"}],"notificationTrigger":["attributeCreated","attributeUpdated"],"notification":{"format":"normal',
  '055_02_01':
    'body differs: root[\'speed\']: expected [{"type":"Property","value":60,"source":{"type":"Property","value":"Speedometer"}},{"type":"Property","value":54.5,"source":{"',
  '055_02_02':
    'body differs: root[\'speed\']: expected [{"type":"Property","value":55,"source":{"type":"Property","value":"Speedometer"}},{"type":"Property","value":70,"source":{"ty',
  '055_03_03':
    "expected 400, got 404 on PUT /entities/urn:ngsi-ld:Vehicle:{id}/attrs/@invalid (ResourceNotFound: attribute 'https://uri.etsi.org/ngsi-ld/default-context/@invalid' not found in entity 'urn:ngsi-ld:Vehicle:{id}')",
  '055_03_05':
    "expected 400, got 404 on PUT /entities/urn:ngsi-ld:Vehicle:{id}/attrs/scope (ResourceNotFound: attribute 'https://uri.etsi.org/ngsi-ld/scope' not found in entity 'urn:ngsi-ld:Vehicle:{id}')",
  '059_01_03':
    'expected InvalidRequest, got 400 BadRequestData: application/ld+json requires an @context member in the body on POST /temporal/entities?invalidParams=invalidValue',
  '059_01_04':
    "expected InvalidRequest, got 400 BadRequestData: unknown query parameter 'invalidParams' on GET /temporal/entities?invalidParams=invalidValue&type=Building",
};
