namespace Acme.Bench.Protocol;

/// <summary>An issuance step that did not get the answer the flow needs.</summary>
public sealed class AcmeFailure(string step, string detail) : Exception($"{step}: {detail}")
{
    /// <summary>The step that failed (newOrder, authz, mail wait, ...).</summary>
    public string Step { get; } = step;
}
