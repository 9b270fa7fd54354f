// Reads the fixtures W3cSuiteAssertionsTest leaves in api/target/w3c-reader (a
// BitstringStatusListEntry, the BitstringStatusListCredential it dereferences to as statusreg
// served it, and the value that must be read) with Digital Bazaar's checkStatus, and fails on
// any disagreement. vc-bitstring-status-list 2.0.1 reads one bit per entry (it has no statusSize),
// so entries with statusSize > 1 are reported and skipped, never counted as agreement.
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

const dir = process.argv[2];
const files = readdirSync(dir).filter(f => f.endsWith('.json'));
if(files.length === 0) {
  console.error(`w3c-reader: no fixtures in ${dir}`);
  process.exit(1);
}
let checked = 0;
let failed = 0;
for(const file of files) {
  const {credentialStatus, statusListCredential, expected} =
    JSON.parse(readFileSync(join(dir, file), 'utf8'));
  if((credentialStatus.statusSize ?? 1) > 1) {
    console.log(`w3c-reader: skip ${credentialStatus.id}: statusSize ` +
      `${credentialStatus.statusSize} (the library reads one bit)`);
    continue;
  }
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: statusListCredential.issuer,
    credentialSubject: {id: 'urn:example:holder'},
    credentialStatus
  };
  const documentLoader = async url => {
    if(url === credentialStatus.statusListCredential) {
      return {document: statusListCredential, documentUrl: url};
    }
    throw new Error(`unexpected document ${url}`);
  };
  const result = await checkStatus({
    credential,
    documentLoader,
    // the credential is a VC-JWT whose signature the Java test verified; this library verifies
    // Data Integrity proofs only
    verifyBitstringStatusListCredential: false,
    verifyMatchingIssuers: true
  });
  checked++;
  const got = result.verified && result.results?.length === 1 ?
    (result.results[0].status ? 1 : 0) : `error ${result.error?.message}`;
  if(got !== expected) {
    failed++;
    console.error(`w3c-reader: ${credentialStatus.id}: read ${got}, expected ${expected}`);
  }
}
console.log(`w3c-reader: ${checked} entries read, ${failed} disagreements`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);
