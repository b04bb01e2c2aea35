// Solves a booking challenge off the main thread (ALTCHA, docs/api.md):
// finds n in 0..maxnumber with SHA-256(salt + n) = challenge, so the page
// stays responsive while the citizen types. DOM-free; no third party.
// In: the challenge JSON. Out: {number, took} (milliseconds) or {error}.

// Digests in flight at once: one await per batch instead of per number.
const BATCH = 64;

self.onmessage = async (/** @type {MessageEvent} */ e) => {
  try {
    self.postMessage(await solve(e.data));
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};

/** @param {{algorithm:string,challenge:string,maxnumber:number,salt:string}} c */
async function solve({ algorithm, challenge, maxnumber, salt }) {
  if (algorithm !== "SHA-256") throw new Error("unsupported algorithm " + algorithm);
  const want = hexBytes(challenge);
  const enc = new TextEncoder();
  const t0 = performance.now();
  for (let base = 0; base <= maxnumber; base += BATCH) {
    const end = Math.min(base + BATCH, maxnumber + 1);
    const jobs = [];
    for (let n = base; n < end; n++) jobs.push(crypto.subtle.digest("SHA-256", enc.encode(salt + n)));
    const sums = await Promise.all(jobs);
    for (let i = 0; i < sums.length; i++) {
      if (same(new Uint8Array(sums[i]), want)) return { number: base + i, took: Math.round(performance.now() - t0) };
    }
  }
  throw new Error("no solution up to maxnumber");
}

/** @param {string} hex @returns {Uint8Array} */
function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
