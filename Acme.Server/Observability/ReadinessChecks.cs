using Acme.Server.Issuance;
using Acme.Server.Mail;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Acme.Server.Observability;

/// <summary>Readiness: the database (SQLite or PostgreSQL, through <see cref="Database"/>) answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(Database db, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = new CancellationTokenSource(options.Value.CheckTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await db.PingAsync(linked.Token);
            return HealthCheckResult.Healthy($"{db.Provider} answers");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{db.Provider} does not answer: {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>Readiness: the CA key signs, and the CA certificate's public key verifies what it signed.</summary>
public sealed class CaKeyHealthCheck(CaMaterial ca) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(SignsAndVerifies(ca)
            ? HealthCheckResult.Healthy($"the CA key signs a probe that {ca.Certificate.SubjectDN} verifies")
            : HealthCheckResult.Unhealthy($"the CA key could not sign a probe that {ca.Certificate.SubjectDN} verifies"));

    // Through the signer seam: a probe signed by the file key or inside the token, verified with the certificate.
    private static bool SignsAndVerifies(CaMaterial ca) => CaSigning.SignerMatches(ca.Signer, ca.Certificate.GetPublicKey());
}

/// <summary>
/// Readiness: the SMTP relay and the IMAP mailbox answered the latest time they were used (file-based
/// transports count as reachable: they record their writes the same way, and nothing else can fail).
/// </summary>
public sealed class MailServersHealthCheck(MailConnectivity connectivity) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var smtp = connectivity.Smtp.State;
        var imap = connectivity.Imap.State;
        var description = $"SMTP: {Describe(smtp)}; IMAP: {Describe(imap)}";
        return Task.FromResult(smtp.LatestFailed || imap.LatestFailed ? HealthCheckResult.Unhealthy(description) : HealthCheckResult.Healthy(description));
    }

    private static string Describe(MailLinkState state) => state switch
    {
        { LatestFailed: true } => $"failed at {AcmeTime.Format(state.LastFailure!.Value)}: {state.LastError}",
        { LastSuccess: { } ok } => $"reached at {AcmeTime.Format(ok)}",
        _ => "not used yet",
    };
}

/// <summary>Readiness: the challenge-mail queue moves (its oldest waiting mail is younger than <c>Health:MaxQueuedMailAge</c>).</summary>
public sealed class MailQueueHealthCheck(MailQueueAge queue, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var max = options.Value.MaxQueuedMailAge;
        try
        {
            return await queue.OldestAsync(cancellationToken) switch
            {
                null => HealthCheckResult.Healthy("no challenge mail waits"),
                { } age when age <= max => HealthCheckResult.Healthy($"the oldest waiting challenge mail was queued {age:g} ago"),
                { } age => HealthCheckResult.Unhealthy($"the oldest waiting challenge mail was queued {age:g} ago, more than Health:MaxQueuedMailAge {max:g}"),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the mail queue could not be read: {e.GetType().Name}");
        }
    }
}
