// SPDX-License-Identifier: MPL-2.0
// The pseudo-locale's text transform (en-XA): every ASCII letter becomes an accented look-alike and
// vowels are doubled, so messages stay readable, run about a third longer (as German and French do) and
// anything left in plain ASCII on a pseudo-localized screen is a string that was never localized.
// Applied by Fluent to the literal text of each message only, never to placeables (addresses, sites).

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries([
  ['a', 'á'],
  ['b', 'ƀ'],
  ['c', 'ç'],
  ['d', 'ð'],
  ['e', 'é'],
  ['f', 'ƒ'],
  ['g', 'ĝ'],
  ['h', 'ĥ'],
  ['i', 'î'],
  ['j', 'ĵ'],
  ['k', 'ķ'],
  ['l', 'ļ'],
  ['m', 'ɱ'],
  ['n', 'ñ'],
  ['o', 'ö'],
  ['p', 'þ'],
  ['q', 'ǫ'],
  ['r', 'ŕ'],
  ['s', 'š'],
  ['t', 'ţ'],
  ['u', 'û'],
  ['v', 'ṽ'],
  ['w', 'ŵ'],
  ['x', 'ẋ'],
  ['y', 'ý'],
  ['z', 'ž'],
  ['A', 'Å'],
  ['B', 'Ɓ'],
  ['C', 'Ç'],
  ['D', 'Ð'],
  ['E', 'É'],
  ['F', 'Ƒ'],
  ['G', 'Ĝ'],
  ['H', 'Ĥ'],
  ['I', 'Î'],
  ['J', 'Ĵ'],
  ['K', 'Ķ'],
  ['L', 'Ļ'],
  ['M', 'Ṁ'],
  ['N', 'Ñ'],
  ['O', 'Ö'],
  ['P', 'Þ'],
  ['Q', 'Ǫ'],
  ['R', 'Ŕ'],
  ['S', 'Š'],
  ['T', 'Ţ'],
  ['U', 'Û'],
  ['V', 'Ṽ'],
  ['W', 'Ŵ'],
  ['X', 'Ẋ'],
  ['Y', 'Ý'],
  ['Z', 'Ž'],
])

const VOWELS = new Set('aeiouAEIOU')

/** Accents and lengthens one run of message text. */
export function pseudoLocalize(text: string): string {
  let out = ''
  for (const ch of text) {
    const accented = ACCENTED[ch]
    if (accented === undefined) {
      out += ch
      continue
    }
    out += VOWELS.has(ch) ? accented + accented : accented
  }
  return out
}
