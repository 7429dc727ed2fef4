using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Acme.Email.Pkcs11;

/// <summary>
/// A BouncyCastle <see cref="ISigner"/> over a token key: the data is hashed here, the digest is signed in the
/// token. Signing only; one instance per signature (not thread-safe, like BouncyCastle's own signers).
/// </summary>
internal sealed class Pkcs11Signer(Pkcs11Key key) : ISigner
{
    private readonly IDigest _digest = DigestUtilities.GetDigest(key.DigestName);

    public string AlgorithmName => key.Kind == Pkcs11KeyKind.Rsa ? "SHA-256withRSA" : key.DigestName.Replace("-", "", StringComparison.Ordinal) + "withECDSA";

    public void Init(bool forSigning, ICipherParameters parameters)
    {
        if (!forSigning)
        {
            throw new NotSupportedException("a PKCS#11 token signer signs only; verify with the public key");
        }

        Reset();
    }

    public void Update(byte input) => _digest.Update(input);

    public void BlockUpdate(byte[] input, int inOff, int inLen) => _digest.BlockUpdate(input, inOff, inLen);

    public void BlockUpdate(ReadOnlySpan<byte> input) => _digest.BlockUpdate(input);

    public int GetMaxSignatureSize() => key.Kind switch
    {
        Pkcs11KeyKind.Rsa => 1024, // up to 8192-bit moduli
        Pkcs11KeyKind.EcP384 => 104, // SEQUENCE { INTEGER(49), INTEGER(49) }
        _ => 72,
    };

    public byte[] GenerateSignature()
    {
        var hash = new byte[_digest.GetDigestSize()];
        _digest.DoFinal(hash, 0);
        return key.SignDigest(hash);
    }

    public bool VerifySignature(byte[] signature) =>
        throw new NotSupportedException("a PKCS#11 token signer signs only; verify with the public key");

    public void Reset() => _digest.Reset();
}
