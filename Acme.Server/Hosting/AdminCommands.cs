using System.Security.Cryptography;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting;

/// <summary>
/// Operator commands that run against the configured database instead of starting the server:
/// <c>eab create [--kid ID] [--alg HS256|HS384|HS512]</c>, <c>eab list</c>, and
/// <c>audit --serial HEX [--evidence DIR]</c>, <c>audit purge [--retention-days N]</c>.
/// </summary>
public static class AdminCommands
{
    private static readonly Dictionary<string, int> MacKeyBytes = new() { ["HS256"] = 32, ["HS384"] = 48, ["HS512"] = 64 };

    public static bool IsAdminCommand(string[] args) => args.Length > 0 && args[0] is "eab" or "audit";

    /// <summary>Runs the command; returns the process exit code (0 ok, 2 usage error).</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter output, TextWriter error)
    {
        if (args is ["audit", "purge", ..])
        {
            return await PurgeAsync(app, args, output, error);
        }

        if (args[0] == "audit")
        {
            var serial = Option(args, "--serial");
            if (serial is null)
            {
                await error.WriteLineAsync("usage: audit --serial HEX [--evidence DIR]");
                return 2;
            }

            var report = new AuditReport(app.Services.GetRequiredService<Database>(), app.Services.GetRequiredService<ICertificateStore>(),
                app.Services.GetRequiredService<IOrderStore>(), app.Services.GetRequiredService<IAuditStore>());
            return await report.WriteAsync(serial, Option(args, "--evidence"), output, error, CancellationToken.None);
        }

        var verb = args.Length > 1 ? args[1] : string.Empty;
        var db = app.Services.GetRequiredService<Database>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        switch (verb)
        {
            case "create":
                var kid = Option(args, "--kid") ?? "eab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                var alg = Option(args, "--alg") ?? "HS256";
                if (!MacKeyBytes.TryGetValue(alg, out var size))
                {
                    await error.WriteLineAsync($"eab create: --alg must be HS256, HS384 or HS512, not '{alg}'");
                    return 2;
                }

                if (!ResourceIdsAllowed(kid))
                {
                    await error.WriteLineAsync("eab create: --kid must be 1 to 64 characters of letters, digits, '-', '_' or '.'");
                    return 2;
                }

                var key = RandomNumberGenerator.GetBytes(size);
                var stores = app.Services.GetRequiredService<IAccountStore>();
                try
                {
                    await db.WriteAsync(async (c, tx) =>
                    {
                        await stores.InsertEabKeyAsync(c, tx, new EabKeyRow { KeyId = kid, HmacKey = key, Algorithm = alg, CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds() });
                        return true;
                    }, CancellationToken.None);
                }
                catch (System.Data.Common.DbException e) when (StorageErrors.IsUniqueViolation(e))
                {
                    await error.WriteLineAsync($"eab create: a key with id '{kid}' already exists");
                    return 2;
                }

                // The client needs both values: the key id and the MAC key in base64url (RFC 8555 §7.3.4).
                await output.WriteLineAsync($"kid: {kid}");
                await output.WriteLineAsync($"hmac ({alg}, base64url): {StrictBase64Url.Encode(key)}");
                return 0;
            case "list":
                var rows = await db.ReadAsync(c => app.Services.GetRequiredService<IAccountStore>().ListEabKeysAsync(c), CancellationToken.None);
                foreach (var (id, algorithm, account) in rows)
                {
                    await output.WriteLineAsync($"{id}\t{algorithm}\t{(account is null ? "unused" : "bound to account " + account)}");
                }

                return 0;
            default:
                await error.WriteLineAsync("usage: eab create [--kid ID] [--alg HS256|HS384|HS512] | eab list");
                return 2;
        }
    }

    /// <summary>SBR 5.5.2: removes evidence kept longer than <c>--retention-days</c> (default 730, never less) past its last reliance.</summary>
    private static async Task<int> PurgeAsync(WebApplication app, string[] args, TextWriter output, TextWriter error)
    {
        var daysText = Option(args, "--retention-days") ?? "730";
        if (!int.TryParse(daysText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) || days < 730)
        {
            await error.WriteLineAsync($"audit purge: --retention-days must be a whole number of at least 730 (SBR 5.5.2: two years), not '{daysText}'");
            return 2;
        }

        var time = app.Services.GetRequiredService<TimeProvider>();
        var cutoff = time.GetUtcNow().AddDays(-days).ToUnixTimeMilliseconds();
        var audit = app.Services.GetRequiredService<IAuditStore>();
        var result = await app.Services.GetRequiredService<Database>().WriteAsync(async (c, tx) =>
        {
            var purged = await new RetentionPurge().PurgeAsync(c, tx, cutoff);
            await audit.AppendAsync(c, tx, new AuditEvent("audit.purged", "operator",
                $"retention {days} days: {purged.Events} events, {purged.ChallengeMails} challenge mails, {purged.Replies} replies removed"));
            return purged;
        }, CancellationToken.None);
        await output.WriteLineAsync($"removed {result.Events} audit events, {result.ChallengeMails} challenge mails, {result.Replies} replies older than {days} days past their last reliance");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static bool ResourceIdsAllowed(string kid) =>
        kid.Length is > 0 and <= 64 && kid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
