using Acme.Server.Protocol;
using Acme.Server.Storage;

namespace Acme.Server.Hosting;

/// <summary>
/// The evidence behind one certificate (SBR 5.4.1, 5.5): the order, each mailbox's validation with
/// its SBR method, the challenge mail and reply relied on, and every audit event, oldest first.
/// </summary>
public sealed class AuditReport(Database db, ICertificateStore certificates, IOrderStore orders, IAuditStore audit)
{
    public async Task<int> WriteAsync(string serial, string? evidenceDirectory, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var certificate = await db.ReadAsync(c => certificates.FindBySerialAsync(c, serial.ToLowerInvariant().TrimStart('0')), ct);
        if (certificate is null)
        {
            await error.WriteLineAsync($"audit: no certificate with serial {serial}");
            return 1;
        }

        await output.WriteLineAsync($"certificate {certificate.Serial}: {StatusText.Of(certificate.Status)}, mailboxes {certificate.Identifiers}, " +
                                    $"valid {AcmeTime.Format(certificate.NotBefore)} to {AcmeTime.Format(certificate.NotAfter)}, account {certificate.AccountId}, order {certificate.OrderId}");
        var authorizations = await db.ReadAsync(c => orders.AuthorizationsOfOrderAsync(c, certificate.OrderId), ct);
        var challengeIds = new List<string>();
        foreach (var authorization in authorizations)
        {
            foreach (var challenge in await db.ReadAsync(c => orders.ChallengesOfAuthorizationAsync(c, authorization.Id), ct))
            {
                challengeIds.Add(challenge.Id);
                var evidence = await db.ReadAsync(c => audit.EvidenceOfChallengeAsync(c, challenge.Id), ct);
                await output.WriteLineAsync($"  mailbox {authorization.Identifier}: authorization {authorization.Id} {StatusText.Of(authorization.Status)}, " +
                                            $"validated {(authorization.ValidatedAt is { } v ? AcmeTime.Format(v) : "-")}");
                await output.WriteLineAsync($"    challenge {challenge.Id} {challenge.Type} {StatusText.Of(challenge.Status)}, from {challenge.FromAddress}, method {evidence.Method ?? "-"}");
                await output.WriteLineAsync($"    challenge mail {evidence.MessageId ?? "-"} ({evidence.Mail?.Length ?? 0} bytes), reply {evidence.ReplyId ?? "-"} ({evidence.Reply?.Length ?? 0} bytes)");
                if (evidenceDirectory is not null)
                {
                    Directory.CreateDirectory(evidenceDirectory);
                    if (evidence.Mail is { } mail)
                    {
                        await File.WriteAllBytesAsync(Path.Combine(evidenceDirectory, $"{challenge.Id}-challenge.eml"), mail, ct);
                    }

                    if (evidence.Reply is { } reply)
                    {
                        await File.WriteAllBytesAsync(Path.Combine(evidenceDirectory, $"{challenge.Id}-reply.eml"), reply, ct);
                    }
                }
            }
        }

        await output.WriteLineAsync("events:");
        var events = await db.ReadAsync(c => audit.ForResourcesAsync(c, [certificate.OrderId], authorizations.Select(a => a.Id).ToList(), challengeIds, certificate.Serial), ct);
        foreach (var (at, actor, name, detail) in events)
        {
            await output.WriteLineAsync($"  {AcmeTime.Format(at)}  {name,-32} {actor,-32} {detail}");
        }

        return 0;
    }
}
