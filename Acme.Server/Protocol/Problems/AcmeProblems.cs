using Acme.Validation.Outcomes;

namespace Acme.Server.Protocol.Problems;

/// <summary>
/// The only way to build an <see cref="AcmeProblem"/>: each factory fixes the HTTP status of its
/// type, following Pebble and Boulder (for example <c>unauthorized</c> is 403).
/// </summary>
public static class AcmeProblems
{
    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

    public static AcmeProblem Malformed(string detail) => Make(AcmeProblemTypes.Malformed, detail, 400);
    public static AcmeProblem MethodNotAllowed(string detail) => Make(AcmeProblemTypes.Malformed, detail, 405);
    public static AcmeProblem UnsupportedMediaType(string detail) => Make(AcmeProblemTypes.Malformed, detail, 415);
    public static AcmeProblem NotFound(string detail) => Make(AcmeProblemTypes.Malformed, detail, 404);
    public static AcmeProblem PayloadTooLarge(string detail) => Make(AcmeProblemTypes.Malformed, detail, 413);
    public static AcmeProblem UriTooLong(string detail) => Make(AcmeProblemTypes.Malformed, detail, 414);
    public static AcmeProblem HeaderFieldsTooLarge(string detail) => Make(AcmeProblemTypes.Malformed, detail, 431);
    public static AcmeProblem BadNonce(string detail) => Make(AcmeProblemTypes.BadNonce, detail, 400);
    public static AcmeProblem BadPublicKey(string detail) => Make(AcmeProblemTypes.BadPublicKey, detail, 400);
    public static AcmeProblem BadCsr(string detail) => Make(AcmeProblemTypes.BadCsr, detail, 400);
    public static AcmeProblem BadRevocationReason(string detail) => Make(AcmeProblemTypes.BadRevocationReason, detail, 400);
    public static AcmeProblem AlreadyRevoked(string detail) => Make(AcmeProblemTypes.AlreadyRevoked, detail, 400);
    public static AcmeProblem AlreadyReplaced(string detail) => Make(AcmeProblemTypes.AlreadyReplaced, detail, 409);
    public static AcmeProblem Unauthorized(string detail) => Make(AcmeProblemTypes.Unauthorized, detail, 403);
    public static AcmeProblem AccountDeactivated(string detail) => Make(AcmeProblemTypes.Unauthorized, detail, 401);
    public static AcmeProblem AccountDoesNotExist(string detail) => Make(AcmeProblemTypes.AccountDoesNotExist, detail, 400);
    public static AcmeProblem ExternalAccountRequired(string detail) => Make(AcmeProblemTypes.ExternalAccountRequired, detail, 400);
    public static AcmeProblem InvalidContact(string detail) => Make(AcmeProblemTypes.InvalidContact, detail, 400);
    public static AcmeProblem UnsupportedContact(string detail) => Make(AcmeProblemTypes.UnsupportedContact, detail, 400);
    public static AcmeProblem OrderNotReady(string detail) => Make(AcmeProblemTypes.OrderNotReady, detail, 403);
    public static AcmeProblem RejectedIdentifier(string detail) => Make(AcmeProblemTypes.RejectedIdentifier, detail, 400);
    public static AcmeProblem UnsupportedIdentifier(string detail) => Make(AcmeProblemTypes.UnsupportedIdentifier, detail, 400);
    public static AcmeProblem IncorrectResponse(string detail) => Make(AcmeProblemTypes.IncorrectResponse, detail, 403);
    public static AcmeProblem Caa(string detail) => Make(AcmeProblemTypes.Caa, detail, 403);
    public static AcmeProblem Dns(string detail) => Make(AcmeProblemTypes.Dns, detail, 400);
    public static AcmeProblem Connection(string detail) => Make(AcmeProblemTypes.Connection, detail, 400);
    public static AcmeProblem InvalidProfile(string detail) => Make(AcmeProblemTypes.InvalidProfile, detail, 400);
    /// <summary>
    /// A problem for an error status some other part of the pipeline set without a body (routing,
    /// the server, a result with a bare status): <c>malformed</c> keeps a 4xx status, anything else
    /// becomes <c>serverInternal</c> 500.
    /// </summary>
    public static AcmeProblem ForBareStatus(int status, string detail) => status is >= 400 and < 500
        ? Make(AcmeProblemTypes.Malformed, detail, status)
        : ServerInternal();

    public static AcmeProblem ServerInternal() => Make(AcmeProblemTypes.ServerInternal, "The server hit an internal error; the request was not carried out.", 500);
    public static AcmeProblem UserActionRequired(string detail, string instance) => Make(AcmeProblemTypes.UserActionRequired, detail, 403) with { Instance = instance };

    public static AcmeProblem RateLimited(string detail, int retryAfterSeconds) =>
        Make(AcmeProblemTypes.RateLimited, detail, 429) with { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>RFC 8555 §6.2: an unsupported <c>alg</c> lists the accepted algorithms.</summary>
    public static AcmeProblem BadSignatureAlgorithm(string detail) =>
        Make(AcmeProblemTypes.BadSignatureAlgorithm, detail, 400) with { Algorithms = SupportedAlgorithms };

    /// <summary>RFC 8555 §7.3.5: a new key already in use answers 409 with the account's Location.</summary>
    public static AcmeProblem KeyInUse(string detail, string accountUrl) =>
        Make(AcmeProblemTypes.Malformed, detail, 409) with { Location = accountUrl };

    public static AcmeProblem ConflictingState(string detail) => Make(AcmeProblemTypes.Malformed, detail, 409);

    /// <summary>
    /// The one mapping from a validation failure to a problem document, sub-failures included
    /// (RFC 8555 §6.7.1: each subproblem names its identifier).
    /// </summary>
    public static AcmeProblem FromFailure(ValidationFailure failure)
    {
        var problem = failure.Kind switch
        {
            FailureKind.Malformed => Malformed(failure.Detail),
            FailureKind.BadCsr => BadCsr(failure.Detail),
            FailureKind.BadPublicKey => BadPublicKey(failure.Detail),
            FailureKind.Unauthorized => Unauthorized(failure.Detail),
            FailureKind.IncorrectResponse => IncorrectResponse(failure.Detail),
            FailureKind.RejectedIdentifier => RejectedIdentifier(failure.Detail),
            FailureKind.UnsupportedIdentifier => UnsupportedIdentifier(failure.Detail),
            FailureKind.Caa => Caa(failure.Detail),
            FailureKind.Dns => Dns(failure.Detail),
            FailureKind.InvalidProfile => InvalidProfile(failure.Detail),
            FailureKind.Connection => Connection(failure.Detail),
            FailureKind.ServerInternal => ServerInternal() with { Detail = failure.Detail },
            _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Kind, "unmapped failure kind"),
        };
        return problem with
        {
            Identifier = failure.Identifier is null ? null : Identifier.Email(failure.Identifier),
            Subproblems = failure.SubFailures.Count == 0 ? null : failure.SubFailures.Select(FromFailure).ToList(),
        };
    }

    private static AcmeProblem Make(string type, string detail, int status) =>
        new() { Type = type, Detail = detail, Status = status };
}
