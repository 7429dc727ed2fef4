using System.Text.Json;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary><c>certificates list [filters]</c> and <c>certificates show SERIAL</c>: what was issued, to whom, and its state.</summary>
public sealed class CertificatesCommand : IOperatorCommand
{
    private const int MaxLimit = 10_000;

    private const string UsageText = """
        usage: certificates list [--address MAILBOX] [--account ID] [--serial HEX]
                                 [--issued-after DATE] [--issued-before DATE] [--limit N]
               certificates show SERIAL
          DATE is 2026-12-01 (midnight UTC) or 2026-12-01T08:00:00Z; --issued-after is inclusive, --issued-before exclusive.
          --limit defaults to 100 (at most 10000); newest first.
        """;

    public string Name => "certificates";

    public string Summary => "list issued certificates by mailbox, account, serial or date; show one";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--address", "--account", "--serial", "--issued-after", "--issued-before", "--limit"], [], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("certificates", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        return line.Positionals switch
        {
            ["list"] => await ListAsync(context, line),
            ["show", var serial] when line.Given.Count == 0 => await ShowAsync(context, serial),
            ["show", ..] => await context.UsageErrorAsync("certificates show", "expected exactly one SERIAL and no options", UsageText),
            _ => await context.UsageErrorAsync("certificates", "expected 'list' or 'show SERIAL'", UsageText),
        };
    }

    private static async Task<int> ListAsync(CommandContext context, CommandLine line)
    {
        var search = new CertificateSearch(100) { Address = line.Value("--address"), AccountId = line.Value("--account") };
        if (line.Value("--serial") is { } serialText)
        {
            if (!CommandValues.TryParseSerial(serialText, out var serial))
            {
                return await context.UsageErrorAsync("certificates list", $"--serial must be the serial number in hex, not '{serialText}'", UsageText);
            }

            search = search with { Serial = serial };
        }

        foreach (var (option, isAfter) in new[] { ("--issued-after", true), ("--issued-before", false) })
        {
            if (line.Value(option) is not { } text)
            {
                continue;
            }

            if (!CommandValues.TryParseTime(text, out var at))
            {
                return await context.UsageErrorAsync("certificates list", $"{option} must be a date such as 2026-12-01 or 2026-12-01T08:00:00Z, not '{text}'", UsageText);
            }

            search = isAfter ? search with { IssuedAfter = at } : search with { IssuedBefore = at };
        }

        if (line.Value("--limit") is { } limitText)
        {
            if (!CommandValues.TryParseCount(limitText, MaxLimit, out var limit))
            {
                return await context.UsageErrorAsync("certificates list", $"--limit must be a whole number from 1 to {MaxLimit}, not '{limitText}'", UsageText);
            }

            search = search with { Limit = limit };
        }

        var found = await context.Services.GetRequiredService<OperatorRevocation>().FindAsync(search, CancellationToken.None);
        await context.Output.WriteLineAsync("serial\tstatus\tissued\tnot after\taccount\tmailboxes");
        foreach (var certificate in found)
        {
            await context.Output.WriteLineAsync(Row(certificate));
        }

        await context.Output.WriteLineAsync($"{found.Count} certificate(s){(found.Count == search.Limit ? $", the limit; narrow the filters or raise --limit" : "")}");
        return CommandContext.Ok;
    }

    private static async Task<int> ShowAsync(CommandContext context, string serialText)
    {
        if (!CommandValues.TryParseSerial(serialText, out var serial))
        {
            return await context.UsageErrorAsync("certificates show", $"SERIAL must be the serial number in hex, not '{serialText}'", UsageText);
        }

        var services = context.Services;
        var db = services.GetRequiredService<Database>();
        var certificate = await db.ReadAsync(c => services.GetRequiredService<ICertificateStore>().FindBySerialAsync(c, serial), CancellationToken.None);
        if (certificate is null)
        {
            return await context.FailAsync("certificates show", $"no certificate with serial {serial}");
        }

        var output = context.Output;
        await output.WriteLineAsync($"serial:     {certificate.Serial}");
        await output.WriteLineAsync($"mailboxes:  {string.Join(", ", Mailboxes(certificate))}");
        await output.WriteLineAsync($"account:    {certificate.AccountId}");
        await output.WriteLineAsync($"order:      {certificate.OrderId}");
        await output.WriteLineAsync($"issued:     {AcmeTime.Format(certificate.IssuedAt)}");
        await output.WriteLineAsync($"validity:   {AcmeTime.Format(certificate.NotBefore)} to {AcmeTime.Format(certificate.NotAfter)}");
        await output.WriteLineAsync(certificate.Status == CertificateStatus.Revoked
            ? $"status:     revoked at {AcmeTime.Format(certificate.RevokedAt ?? 0)}, reason {RevocationReasons.NameOf(certificate.RevocationReason)}"
            : $"status:     {StatusText.Of(certificate.Status)}");

        // The validation evidence relied on, per mailbox (SBR 3.2.2, 5.4.1); `audit --serial` prints the whole trail.
        var orders = services.GetRequiredService<IOrderStore>();
        var audit = services.GetRequiredService<IAuditStore>();
        foreach (var authorization in await db.ReadAsync(c => orders.AuthorizationsOfOrderAsync(c, certificate.OrderId), CancellationToken.None))
        {
            foreach (var challenge in await db.ReadAsync(c => orders.ChallengesOfAuthorizationAsync(c, authorization.Id), CancellationToken.None))
            {
                var evidence = await db.ReadAsync(c => audit.EvidenceOfChallengeAsync(c, challenge.Id), CancellationToken.None);
                await output.WriteLineAsync($"evidence:   {authorization.Identifier}: authorization {authorization.Id}, challenge {challenge.Id}, " +
                                            $"method {evidence.Method ?? "-"}, challenge mail {evidence.MessageId ?? "-"}, reply {evidence.ReplyId ?? "-"}");
            }
        }

        await output.WriteLineAsync($"full trail: audit --serial {certificate.Serial} [--evidence DIR]");
        return CommandContext.Ok;
    }

    /// <summary>One tab-separated line: serial, status, issued, not after, account, mailboxes.</summary>
    public static string Row(CertificateRow c) =>
        $"{c.Serial}\t{StatusText.Of(c.Status)}\t{AcmeTime.Format(c.IssuedAt)}\t{AcmeTime.Format(c.NotAfter)}\t{c.AccountId}\t{string.Join(",", Mailboxes(c))}";

    public static IReadOnlyList<string> Mailboxes(CertificateRow c) =>
        JsonSerializer.Deserialize(c.Identifiers, AcmeJsonContext.Default.ListString) ?? [];
}
