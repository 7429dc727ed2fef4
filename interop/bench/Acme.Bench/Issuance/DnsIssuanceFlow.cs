using Acme.Bench.Protocol;

namespace Acme.Bench.Issuance;

/// <summary>
/// The RFC 8555 flow against Pebble: a <c>dns</c> identifier, its http-01 challenge (always valid with
/// PEBBLE_VA_ALWAYS_VALID=1, so no mail step), a CSR for the DNS name.
/// </summary>
public sealed class DnsIssuanceFlow(string dnsDomain, TimeSpan pollMax) : IIssuanceFlow
{
    /// <inheritdoc />
    public async Task<StepTimes> IssueAsync(AcmeSession session, string label, CancellationToken ct)
    {
        var name = $"{label}.{dnsDomain}";
        var times = new StepTimes();
        var order = await OrderRequests.CreateAsync(session, "dns", name, ct);
        times.End(Steps.NewOrder);

        var challenge = await OrderRequests.ChallengeAsync(session, order.AuthorizationUrl, "http-01", ct);
        times.End(Steps.Authorization);

        var challengeUrl = challenge["url"]?.GetValue<string>() ?? throw new AcmeFailure(Steps.Authorization, "challenge without url");
        await OrderRequests.RespondAndWaitAsync(session, challengeUrl, order.AuthorizationUrl, pollMax, ct);
        times.End(Steps.Valid);

        var certificateUrl = await OrderRequests.FinalizeAsync(session, order, CsrFactory.ForDnsName(name), pollMax, ct);
        times.End(Steps.Finalize);

        await OrderRequests.DownloadAsync(session, certificateUrl, ct);
        times.End(Steps.Download);
        return times.Finish();
    }
}
