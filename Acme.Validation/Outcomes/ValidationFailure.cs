namespace Acme.Validation.Outcomes;

/// <summary>
/// A reasoned failure: the kind, a human-readable detail that names the exact cause, and
/// optionally the identifier it concerns and per-identifier sub-failures.
/// </summary>
/// <param name="Kind">The failure category.</param>
/// <param name="Detail">A sentence naming the exact reason (shown to the client).</param>
public sealed record ValidationFailure(FailureKind Kind, string Detail)
{
    /// <summary>The identifier (for example a mailbox address) this failure is about, if any.</summary>
    public string? Identifier { get; init; }

    /// <summary>Failures of individual parts, for example one per rejected identifier.</summary>
    public IReadOnlyList<ValidationFailure> SubFailures { get; init; } = [];
}
