// SPDX-License-Identifier: MPL-2.0
// The fixed DSA groups every jwcrypto (browserid-crypto lib/algs/ds.js) DS key uses, so keys interoperate
// and no slow parameter generation is needed: DS128 is the FIPS 186-3 1024/160 group (with SHA-1 as the
// hash, as jwcrypto does) and DS256 the 2048/256 group with SHA-256. Values are the published test groups.

export interface DsaGroup {
  readonly p: string
  readonly q: string
  readonly g: string
}

export const DSA_GROUPS = {
  DS128: {
    p:
      'ff600483db6abfc5b45eab78594b3533d550d9f1bf2a992a7a8daa6dc34f8045ad4e6e0c429d334eeeaaefd7e23d4810' +
      'be00e4cc1492cba325ba81ff2d5a5b305a8d17eb3bf4a06a349d392e00d329744a5179380344e82a18c47933438f891e' +
      '22aeef812d69c8f75e326cb70ea000c3f776dfdbd604638c2ef717fc26d02e17',
    q: 'e21e04f911d1ed7991008ecaab3bf775984309c3',
    g:
      'c52a4a0ff3b7e61fdf1867ce84138369a6154f4afa92966e3c827e25cfa6cf508b90e5de419e1337e07a2e9e2a3cd5de' +
      'a704d175f8ebf6af397d69e110b96afb17c7a03259329e4829b0d03bbc7896b15b4ade53e130858cc34d96269aa89041' +
      'f409136c7242a38895c9d5bccad4f389af1d7a4bd1398bd072dffa896233397a',
  },
  DS256: {
    p:
      'd6c4e5045697756c7a312d02c2289c25d40f9954261f7b5876214b6df109c738b76226b199bb7e33f8fc7ac1dcc316e1' +
      'e7c78973951bfc6ff2e00cc987cd76fcfb0b8c0096b0b460fffac960ca4136c28f4bfb580de47cf7e7934c3985e3b3d9' +
      '43b77f06ef2af3ac3494fc3c6fc49810a63853862a02bb1c824a01b7fc688e4028527a58ad58c9d512922660db5d505b' +
      'c263af293bc93bcd6d885a157579d7f52952236dd9d06a4fc3bc2247d21f1a70f5848eb0176513537c983f5a36737f01' +
      'f82b44546e8e7f0fabc457e3de1d9c5dba96965b10a2a0580b0ad0f88179e10066107fb74314a07e6745863bc797b700' +
      '2ebec0b000a98eb697414709ac17b401',
    q: 'b1e370f6472c8754ccd75e99666ec8ef1fd748b748bbbc08503d82ce8055ab3b',
    g:
      '9a8269ab2e3b733a5242179d8f8ddb17ff93297d9eab00376db211a22b19c854dfa80166df2132cbc51fb224b0904abb' +
      '22da2c7b7850f782124cb575b116f41ea7c4fc75b1d77525204cd7c23a15999004c23cdeb72359ee74e886a1dde7855a' +
      'e05fe847447d0a68059002c3819a75dc7dcbb30e39efac36e07e2c404b7ca98b263b25fa314ba93c0625718bd489cea6' +
      'd04ba4b0b7f156eeb4c56c44b50e4fb5bce9d7ae0d55b379225feb0214a04bed72f33e0664d290e7c840df3e2abb5e48' +
      '189fa4e90646f1867db289c6560476799f7be8420a6dc01d078de437f280fff2d7ddf1248d56e1a54b933a41629d6c25' +
      '2983c58795105802d30d7bcd819cf6ef',
  },
} as const satisfies Record<string, DsaGroup>
