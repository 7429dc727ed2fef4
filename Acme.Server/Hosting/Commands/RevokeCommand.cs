using Acme.Server.Storage;
using Acme.Server.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary>
/// <c>revoke</c>: one certificate by serial, or every certificate of a mailbox, an account or a public key
/// (a dry run unless <c>--execute</c>). Audited, and the CRL regenerated afterwards.
/// </summary>
public sealed class RevokeCommand : IOperatorCommand
{
    private const int BulkLimit = 1_000_000;

    private const string UsageText = """
        usage: revoke --serial HEX --reason REASON
               revoke --address MAILBOX --reason REASON [--execute]
               revoke --account ID --reason REASON [--execute]
               revoke --public-key FILE --reason REASON [--execute]    FILE: PEM PUBLIC KEY or CERTIFICATE
          REASON (RFC 5280 names): unspecified, keyCompromise, affiliationChanged, superseded,
                                   cessationOfOperation, privilegeWithdrawn
          The bulk forms only print what they would revoke unless --execute is given.
          Already revoked certificates are skipped and listed.
        """;

    public string Name => "revoke";

    public string Summary => "revoke by serial, or in bulk by mailbox, account or public key (dry run by default)";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--serial", "--address", "--account", "--public-key", "--reason"], ["--execute"], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("revoke", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        string[] selectors = ["--serial", "--address", "--account", "--public-key"];
        var given = selectors.Where(s => line.Value(s) is not null).ToList();
        if (line.Positionals.Count > 0 || given.Count != 1)
        {
            return await context.UsageErrorAsync("revoke", "give exactly one of --serial, --address, --account or --public-key", UsageText);
        }

        if (line.Value("--reason") is not { } reasonName)
        {
            return await context.UsageErrorAsync("revoke", "--reason is required", UsageText);
        }

        if (!RevocationReasons.TryParse(reasonName, out var reason))
        {
            return await context.UsageErrorAsync("revoke", $"--reason '{reasonName}' is not accepted; use one of {string.Join(", ", RevocationReasons.Names)}", UsageText);
        }

        var selector = given[0];
        var value = line.Value(selector)!;
        var search = await SearchAsync(context, selector, value);
        if (search.Code is { } code)
        {
            return code;
        }

        var revocation = context.Services.GetRequiredService<OperatorRevocation>();
        var found = await revocation.FindAsync(search.Search!, CancellationToken.None);
        var single = selector == "--serial";
        if (single && found.Count == 0)
        {
            return await context.FailAsync("revoke", $"no certificate with serial {search.Search!.Serial}");
        }

        var output = context.Output;
        var valid = found.Where(c => c.Status == Protocol.CertificateStatus.Valid).ToList();
        var skipped = found.Where(c => c.Status != Protocol.CertificateStatus.Valid).ToList();
        if (!single && !line.Flag("--execute"))
        {
            await WriteListAsync(output, $"would revoke {valid.Count} certificate(s), reason {RevocationReasons.NameOf(reason)}:", valid);
            await WriteListAsync(output, $"already revoked, would skip {skipped.Count}:", skipped);
            await output.WriteLineAsync("dry run: nothing changed; add --execute to revoke");
            return CommandContext.Ok;
        }

        var result = await revocation.RevokeAsync(found, reason, context.Actor, $"revoke {selector} {value}", CancellationToken.None);
        await WriteListAsync(output, $"revoked {result.Revoked.Count} certificate(s), reason {RevocationReasons.NameOf(reason)}:", result.Revoked);
        await WriteListAsync(output, $"already revoked, skipped {result.AlreadyRevoked.Count}:", result.AlreadyRevoked);
        if (result.Revoked.Count > 0)
        {
            await output.WriteLineAsync("CRL regenerated");
        }

        return single && result.Revoked.Count == 0 ? await context.FailAsync("revoke", $"certificate {found[0].Serial} is already revoked") : CommandContext.Ok;
    }

    private static async Task<(CertificateSearch? Search, int? Code)> SearchAsync(CommandContext context, string selector, string value)
    {
        var search = new CertificateSearch(BulkLimit);
        switch (selector)
        {
            case "--serial":
                return CommandValues.TryParseSerial(value, out var serial)
                    ? (search with { Serial = serial }, null)
                    : (null, await context.UsageErrorAsync("revoke", $"--serial must be the serial number in hex, not '{value}'", UsageText));
            case "--address":
                return value.Contains('@', StringComparison.Ordinal)
                    ? (search with { Address = value }, null)
                    : (null, await context.UsageErrorAsync("revoke", $"--address must be a mailbox (local@domain), not '{value}'", UsageText));
            case "--account":
                var accounts = context.Services.GetRequiredService<AccountAdministration>();
                return await accounts.FindAsync(value, CancellationToken.None) is null
                    ? (null, await context.FailAsync("revoke", $"no account with id {value}"))
                    : (search with { AccountId = value }, null);
            default:
                var spki = PublicKeyFile.Read(value, out var error);
                return spki is null
                    ? (null, await context.UsageErrorAsync("revoke", error!, UsageText))
                    : (search with { KeySpki = spki }, null);
        }
    }

    private static async Task WriteListAsync(TextWriter output, string heading, IReadOnlyList<CertificateRow> certificates)
    {
        await output.WriteLineAsync(heading);
        foreach (var certificate in certificates)
        {
            await output.WriteLineAsync("  " + CertificatesCommand.Row(certificate));
        }
    }
}
