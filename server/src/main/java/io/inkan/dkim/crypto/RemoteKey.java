package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm.KeyType;

/**
 * A key that signs on another node: what that node calls it, and what this one needs to build the
 * signature field around it.
 *
 * @param id the signer's name for the key, opaque here
 * @param type RSA or Ed25519
 * @param bits the RSA modulus length, 256 for Ed25519
 * @param signsDigest whether the signer accepts the 32-byte SHA-256 digest of the header block
 *     instead of the block itself
 */
public record RemoteKey(String id, KeyType type, int bits, boolean signsDigest)
    implements KeyHandle {}
