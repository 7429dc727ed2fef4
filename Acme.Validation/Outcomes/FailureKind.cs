namespace Acme.Validation.Outcomes;

/// <summary>
/// Why a check failed, in this library's own terms. Acme.Server maps each kind to an ACME
/// problem type in one function; nothing in this library knows about HTTP or ACME URNs.
/// </summary>
public enum FailureKind
{
    /// <summary>The input could not be parsed or is structurally wrong.</summary>
    Malformed,

    /// <summary>A certificate signing request breaks a rule (signature, names, key, usage).</summary>
    BadCsr,

    /// <summary>A public key is of a type or size that is not accepted.</summary>
    BadPublicKey,

    /// <summary>The requester is not entitled to what was asked (authentication, DKIM, From).</summary>
    Unauthorized,

    /// <summary>A challenge response did not match what was expected (token, digest).</summary>
    IncorrectResponse,

    /// <summary>An identifier is of a supported type but is refused by policy or syntax.</summary>
    RejectedIdentifier,

    /// <summary>An identifier type is not supported.</summary>
    UnsupportedIdentifier,

    /// <summary>CAA records forbid issuance.</summary>
    Caa,

    /// <summary>A DNS lookup failed in a way that prevents a decision.</summary>
    Dns,

    /// <summary>The server could not reach the validation target (for example, the challenge mail could not be delivered).</summary>
    Connection,

    /// <summary>The requested certificate profile does not exist or does not fit the request.</summary>
    InvalidProfile,

    /// <summary>The server failed on this item for a reason of its own (a bug or a broken dependency), recorded rather than retried forever.</summary>
    ServerInternal,
}
