using Acme.Bench.Protocol;

namespace Acme.Bench.Issuance;

/// <summary>One complete issuance against one kind of server, from newOrder to the downloaded certificate.</summary>
public interface IIssuanceFlow
{
    /// <summary>
    /// Runs one issuance for the identifier derived from <paramref name="label"/> (unique in the run) with the
    /// account of <paramref name="session"/>; throws <see cref="AcmeFailure"/> when a step fails.
    /// </summary>
    Task<StepTimes> IssueAsync(AcmeSession session, string label, CancellationToken ct);
}
