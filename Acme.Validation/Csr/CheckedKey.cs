using Org.BouncyCastle.Crypto;

namespace Acme.Validation.Csr;

/// <summary>A subject public key that passed <see cref="CsrKeyChecker"/>.</summary>
internal sealed record CheckedKey(AsymmetricKeyParameter PublicKey, CsrKeyKind Kind, int SizeBits);
