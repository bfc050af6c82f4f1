namespace CretoAI.Fast.Crypto.Keys;

/// <summary>What a key file holds; written on its <c>kind:</c> line (docs/keys.md).</summary>
public enum KeyFileKind
{
    /// <summary><c>ml-dsa-87-public-key</c>: the 2,592-byte ML-DSA-87 public key. Not secret.</summary>
    PublicKey,

    /// <summary><c>ml-dsa-87-private-seed</c>: the 32-byte FIPS 204 seed ξ the whole key pair is derived from. Secret.</summary>
    PrivateSeed,
}
