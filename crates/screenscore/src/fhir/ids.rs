//! Stable identifiers for the resources written: FHIR logical ids (`[A-Za-z0-9\-\.]{1,64}`,
//! <https://hl7.org/fhir/R4/datatypes.html#id>) and name-based UUIDs (version 5, RFC 9562
//! section 5.5: SHA-1 of a namespace and a name), so that the same input gives the same ids,
//! run after run. SHA-1 is written out here (FIPS 180-4) rather than taken from a crate: it
//! serves as a stable hash, not for security.

/// The namespace of the UUIDs of screenscore's resources: the version 5 UUID of the name
/// `urn:screenscore:fhir` in RFC 9562's URL namespace (`6ba7b811-9dad-11d1-80b4-00c04fd430c8`):
/// `0a23ed2a-0096-5892-8e4b-7a3e9893779e`.
pub(crate) const NAMESPACE: [u8; 16] = [
    0x0a, 0x23, 0xed, 0x2a, 0x00, 0x96, 0x58, 0x92, 0x8e, 0x4b, 0x7a, 0x3e, 0x98, 0x93, 0x77, 0x9e,
];

/// RFC 9562's URL namespace.
#[cfg(test)]
const URL_NAMESPACE: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// The SHA-1 digest of `data`.
pub(crate) fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bits = (data.len() as u64).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bits.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (t, word) in block.chunks_exact(4).enumerate() {
            w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (t, &word) in w.iter().enumerate() {
            let (f, k) = match t {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The version 5 UUID of `name` in `namespace`, as bytes.
fn uuid_v5_bytes(namespace: &[u8; 16], name: &str) -> [u8; 16] {
    let mut input = namespace.to_vec();
    input.extend_from_slice(name.as_bytes());
    let digest = sha1(&input);
    let mut uuid = [0u8; 16];
    uuid.copy_from_slice(&digest[..16]);
    uuid[6] = (uuid[6] & 0x0f) | 0x50; // version 5
    uuid[8] = (uuid[8] & 0x3f) | 0x80; // variant RFC 9562
    uuid
}

/// The version 5 UUID of `name` in `namespace`, in its text form (lowercase hex, hyphens).
fn uuid_v5(namespace: &[u8; 16], name: &str) -> String {
    let bytes = uuid_v5_bytes(namespace, name);
    let mut text = String::with_capacity(36);
    for (n, byte) in bytes.iter().enumerate() {
        if matches!(n, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// `urn:uuid:…`: the version 5 UUID of `key` in [`NAMESPACE`].
pub(crate) fn urn_uuid(key: &str) -> String {
    format!("urn:uuid:{}", uuid_v5(&NAMESPACE, key))
}

/// Whether `text` is a FHIR id: 1 to 64 of `A-Z a-z 0-9 - .`.
pub(crate) fn is_fhir_id(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// A FHIR id for `key`: the key itself when it is one; otherwise the key with every other
/// character replaced by `-`, cut to 47 characters, then `-` and 16 hex digits of the key's
/// SHA-1 (so two keys that differ only where characters were replaced or cut keep apart).
pub(crate) fn fhir_id(key: &str) -> String {
    if is_fhir_id(key) {
        return key.to_owned();
    }
    let mut id: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(47)
        .collect();
    id.push('-');
    for byte in &sha1(key.as_bytes())[..8] {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha1_gives_the_fips_180_examples() {
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
    }

    #[test]
    fn uuid_v5_agrees_with_rfc_namespaces() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "urn:screenscore:fhir").
        assert_eq!(
            uuid_v5_bytes(&URL_NAMESPACE, "urn:screenscore:fhir"),
            NAMESPACE
        );
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid_v5(&dns, "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
    }

    #[test]
    fn ids_are_kept_sanitised_or_hashed() {
        assert_eq!(
            fhir_id("phq-9-example-phq9-total"),
            "phq-9-example-phq9-total"
        );
        let odd = fhir_id("r.ndjson:3-phq9-total");
        assert!(odd.starts_with("r.ndjson-3-phq9-total-"), "{odd}");
        assert!(is_fhir_id(&odd));
        assert_ne!(odd, fhir_id("r.ndjson 3-phq9-total"));
        let long = fhir_id(&"x".repeat(80));
        assert_eq!(long.len(), 64);
        assert!(is_fhir_id(&long));
        assert!(!is_fhir_id(""));
    }
}
