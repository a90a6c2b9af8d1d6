//! Names for the passkey providers people use most, by the AAGUID their passkeys carry (as the community-kept list
//! `passkey-authenticator-aaguids` records them). Only a default name: nothing is trusted because of it.

const KNOWN: [(&str, &str); 10] = [
    ("ea9b8d664d011d213ce4b6b48cb575d4", "Google Password Manager"),
    ("fbfc3007154e4ecc8c0b6e020557d7bd", "iCloud Keychain"),
    ("08987058cadc4b81b6e130de50dcbe96", "Windows Hello"),
    ("adce000235bcc60a648b0b25f1f05503", "Chrome on Mac"),
    ("bada5566a7aa401fbd9645619a55120d", "1Password"),
    ("d548826e79b4db40a3d811116f7e8349", "Bitwarden"),
    ("531126d6e717415c93203d9aa6981239", "Dashlane"),
    ("50726f746f6e5061737350726f746f6e", "Proton Pass"),
    ("53414d53554e47000000000000000000", "Samsung Pass"),
    ("fdb141b25d84443e8a354698c205a502", "KeePassXC"),
];

/// The provider's name, if it is one of the known.
pub fn name(aaguid: &[u8; 16]) -> Option<&'static str> {
    let aaguid = crate::hex::hex(aaguid);
    KNOWN.iter().find(|(known, _)| *known == aaguid).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_known_provider_is_named_and_an_unknown_one_is_not() {
        let google = [0xea, 0x9b, 0x8d, 0x66, 0x4d, 0x01, 0x1d, 0x21, 0x3c, 0xe4, 0xb6, 0xb4, 0x8c, 0xb5, 0x75, 0xd4];
        assert_eq!(super::name(&google), Some("Google Password Manager"));
        assert_eq!(super::name(&[0; 16]), None);
    }
}
