// Reads the fixtures IetfReaderFixturesTest leaves in api/target/ietf-reader (per list: the JWT
// and the CWT Status List Token statusreg served over HTTP, its /.well-known/jwks.json, the
// statuses set through the API and the claims the tokens must carry) with readers that share no
// code with statusreg, and fails on any disagreement:
//  - JWT: jose verifies the signature with the served JWKS (header typ statuslist+jwt, kid in the
//    JWKS, x5c's leaf carrying the JWKS key) and the claims; @sd-jwt/jwt-status-list and
//    @owf/token-status-list each read every status from it.
//  - CWT: cbor-x decodes the COSE_Sign1 (tag 18), whose ES256 signature is checked here with
//    node:crypto over Sig_structure ["Signature1", protected, h'', payload] (r||s, IEEE P1363),
//    protected header 1 alg -7, 16 application/statuslist+cwt, 4 kid, 33 x5chain's key;
//    @owf/token-status-list reads the claims and every status, and @sd-jwt's decoder reads the
//    statuses again from the CWT's lst.
// A token counts as read when every reader that was meant to read it did; a reader that throws is
// a disagreement, never skipped.
import {StatusList as SdJwtStatusList, getListFromStatusListJWT} from '@sd-jwt/jwt-status-list';
import {StatusListCwt, getListFromStatusListJWT as owfListFromJwt} from '@owf/token-status-list';
import {Decoder} from 'cbor-x';
import {createLocalJWKSet, decodeProtectedHeader, jwtVerify} from 'jose';
import {X509Certificate, createPublicKey, verify} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

const dir = process.argv[2];
const files = readdirSync(dir).filter(f => f.endsWith('.json')).sort();
if(files.length === 0) {
  console.error(`ietf-reader: no fixtures in ${dir}`);
  process.exit(1);
}
const cbor = new Decoder({mapsAsObjects: false, useRecords: false});
let tokens = 0;
let failed = 0;

for(const file of files) {
  const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const {uri, bits, expected, claims, kid, jwks} = fixture;
  const entries = Object.entries(expected).map(([idx, status]) => [Number(idx), status]);
  if(entries.length === 0) {
    disagree(file, 'fixture', 'no expected statuses');
    continue;
  }
  const jwk = jwks.keys.find(k => k.kid === kid);
  for(const [form, check] of [['jwt', checkJwt], ['cwt', checkCwt]]) {
    const before = failed;
    try {
      await check({file, uri, bits, entries, claims, kid, jwks, jwk, token: fixture[form]});
    } catch(e) {
      disagree(file, form, `reader failed: ${e?.stack ?? e}`);
    }
    if(failed === before) {
      tokens++;
    }
  }
}
console.log(`ietf-reader: ${tokens} tokens read, ${failed} disagreements`);
process.exit(failed === 0 && tokens > 0 ? 0 : 1);

function disagree(file, what, message) {
  failed++;
  console.error(`ietf-reader: ${file} ${what}: ${message}`);
}

function same(file, what, got, want) {
  if(got !== want) {
    disagree(file, what, `read ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

function statuses(file, reader, list, wantBits, entries) {
  same(file, `${reader} bits`, list.getBitsPerStatus(), wantBits);
  for(const [idx, status] of entries) {
    same(file, `${reader} status at ${idx}`, list.getStatus(idx), status);
  }
}

/** The x5c/x5chain leaf must carry the JWKS key of the kid. */
function leafMatches(file, what, der, jwk) {
  const key = new X509Certificate(der).publicKey.export({format: 'jwk'});
  for(const p of ['kty', 'crv', 'x', 'y', 'n', 'e']) {
    same(file, `${what} leaf key ${p}`, key[p], jwk[p]);
  }
}

async function checkJwt({file, uri, bits, entries, claims, kid, jwks, jwk, token}) {
  const header = decodeProtectedHeader(token);
  same(file, 'jwt header typ', header.typ, 'statuslist+jwt');
  same(file, 'jwt header kid', header.kid, kid);
  if(!jwk) {
    disagree(file, 'jwt', `kid ${kid} is not in the served JWKS`);
    return;
  }
  if(header.x5c !== undefined) {
    if(!Array.isArray(header.x5c) || header.x5c.length === 0) {
      disagree(file, 'jwt header x5c', 'not a non-empty array');
    } else {
      leafMatches(file, 'jwt x5c', Buffer.from(header.x5c[0], 'base64'), jwk);
    }
  }
  // jose: signature with the served JWKS, typ, exp and iat (clock tolerance for the CI clock)
  const {payload} = await jwtVerify(token, createLocalJWKSet(jwks), {
    typ: 'statuslist+jwt',
    algorithms: [jwk.alg ?? 'ES256'],
    clockTolerance: 60
  });
  same(file, 'jwt sub', payload.sub, uri);
  same(file, 'jwt sub (fixture)', payload.sub, claims.sub);
  same(file, 'jwt iat', payload.iat, claims.iat);
  same(file, 'jwt exp', payload.exp, claims.exp);
  same(file, 'jwt ttl', payload.ttl, claims.ttl);
  same(file, 'jwt status_list.bits', payload.status_list?.bits, bits);
  same(file, 'jwt status_list.aggregation_uri', payload.status_list?.aggregation_uri,
    claims.aggregation_uri);
  statuses(file, 'jwt @sd-jwt/jwt-status-list', getListFromStatusListJWT(token), bits, entries);
  statuses(file, 'jwt @owf/token-status-list', owfListFromJwt(token), bits, entries);
}

async function checkCwt({file, uri, bits, entries, claims, kid, jwk, token}) {
  const bytes = Buffer.from(token, 'base64');
  // Tag 18 is read here, not by cbor-x: importing @owf/token-status-list registers a cbor-x
  // extension (shared module) that turns tag 18 into its own Sign1 object.
  const sign1 = bytes[0] === 0xd2 ? cbor.decode(bytes.subarray(1)) : undefined;
  if(!Array.isArray(sign1) || sign1.length !== 4) {
    disagree(file, 'cwt', 'not a tagged COSE_Sign1 (tag 18 = 0xd2, an array of four)');
    return;
  }
  const [protectedBytes, unprotected, payload, signature] = sign1;
  const prot = cbor.decode(protectedBytes);
  same(file, 'cwt protected 1 (alg)', prot.get(1), -7);
  same(file, 'cwt protected 16 (content type)', prot.get(16), 'application/statuslist+cwt');
  const kidBytes = prot.get(4) ?? unprotected.get(4);
  same(file, 'cwt kid (4)', kidBytes && Buffer.from(kidBytes).toString('utf8'), kid);
  if(!jwk) {
    disagree(file, 'cwt', `kid ${kid} is not in the served JWKS`);
    return;
  }
  const x5chain = prot.get(33) ?? unprotected.get(33);
  if(x5chain !== undefined) {
    leafMatches(file, 'cwt x5chain', Buffer.from(Array.isArray(x5chain) ? x5chain[0] : x5chain),
      jwk);
  }
  // RFC 9052 section 4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload],
  // encoded here byte by byte (array of 4, text, three byte strings) so no encoder option decides it.
  const sigStructure = Buffer.concat([
    Buffer.from([0x84]), head(3, 10), Buffer.from('Signature1'),
    head(2, protectedBytes.length), protectedBytes,
    head(2, 0),
    head(2, payload.length), payload
  ]);
  const ok = verify('sha256', sigStructure,
    {key: createPublicKey({key: jwk, format: 'jwk'}), dsaEncoding: 'ieee-p1363'}, signature);
  if(!ok) {
    disagree(file, 'cwt signature', 'ES256 signature does not verify with the JWKS key');
  }
  // The claims as cbor-x reads them
  const claimsMap = cbor.decode(payload);
  const statusList = claimsMap.get(65533);
  same(file, 'cwt 2 (sub)', claimsMap.get(2), uri);
  same(file, 'cwt 6 (iat)', claimsMap.get(6), claims.iat);
  same(file, 'cwt 4 (exp)', claimsMap.get(4), claims.exp);
  same(file, 'cwt 65534 (ttl)', claimsMap.get(65534), claims.ttl);
  same(file, 'cwt 65533 bits', statusList?.get('bits'), bits);
  same(file, 'cwt 65533 aggregation_uri', statusList?.get('aggregation_uri'),
    claims.aggregation_uri);
  if(claims.exp * 1000 + 60_000 < Date.now()) {
    disagree(file, 'cwt exp', `expired at ${new Date(claims.exp * 1000).toISOString()}`);
  }
  // @sd-jwt's decoder over the CWT's lst (it takes base64url)
  statuses(file, 'cwt lst @sd-jwt/jwt-status-list',
    SdJwtStatusList.decompressStatusList(Buffer.from(statusList.get('lst')).toString('base64url'),
      bits), bits, entries);
  // @owf/token-status-list's own CWT parser
  const owf = StatusListCwt.fromToken(new Uint8Array(bytes));
  same(file, 'cwt @owf subject', owf.payload.subject, uri);
  same(file, 'cwt @owf issuedAt', owf.payload.issuedAt.getTime(), claims.iat * 1000);
  same(file, 'cwt @owf expirationTime', owf.payload.expirationTime?.getTime(), claims.exp * 1000);
  same(file, 'cwt @owf timeToLive', owf.payload.timeToLive, claims.ttl);
  same(file, 'cwt @owf aggregationUri', owf.payload.statusList.aggregationUri,
    claims.aggregation_uri);
  statuses(file, 'cwt @owf/token-status-list', owf.payload.statusList, bits, entries);
}

/** A CBOR head: major type and length (RFC 8949 section 3). */
function head(major, length) {
  const m = major << 5;
  if(length < 24) {
    return Buffer.from([m | length]);
  }
  if(length < 0x100) {
    return Buffer.from([m | 24, length]);
  }
  if(length < 0x10000) {
    return Buffer.from([m | 25, length >> 8, length & 0xff]);
  }
  const b = Buffer.alloc(5);
  b[0] = m | 26;
  b.writeUInt32BE(length, 1);
  return b;
}
