namespace Acme.Server.Issuance;

/// <summary>One revoked certificate as listed in a CRL.</summary>
/// <param name="SerialHex">The serial number in hex.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="ReasonCode">The RFC 5280 CRLReason code, or null for none.</param>
public sealed record RevokedEntry(string SerialHex, DateTimeOffset RevokedAt, int? ReasonCode);
