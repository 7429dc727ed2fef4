using System.Security.Cryptography;
using Acme.Server.Storage;
using Acme.Validation.Codecs;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary><c>eab create [--kid ID] [--alg HS256|HS384|HS512]</c> and <c>eab list</c>: External Account Binding keys (RFC 8555 §7.3.4).</summary>
public sealed class EabCommand : IOperatorCommand
{
    private const string UsageText = """
        usage: eab create [--kid ID] [--alg HS256|HS384|HS512]   make a key for one client (printed once)
               eab list                                         every key, and the account it is bound to
        """;

    private static readonly Dictionary<string, int> MacKeyBytes = new() { ["HS256"] = 32, ["HS384"] = 48, ["HS512"] = 64 };

    public string Name => "eab";

    public string Summary => "External Account Binding keys: create, list";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--kid", "--alg"], [], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("eab", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        return line.Positionals switch
        {
            ["create"] => await CreateAsync(context, line),
            ["list"] when line.Value("--kid") is null && line.Value("--alg") is null => await ListAsync(context),
            _ => await context.UsageErrorAsync("eab", "expected 'create' or 'list'", UsageText),
        };
    }

    private static async Task<int> CreateAsync(CommandContext context, CommandLine line)
    {
        var kid = line.Value("--kid") ?? "eab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var alg = line.Value("--alg") ?? "HS256";
        if (!MacKeyBytes.TryGetValue(alg, out var size))
        {
            return await context.UsageErrorAsync("eab create", $"--alg must be HS256, HS384 or HS512, not '{alg}'", UsageText);
        }

        if (!(kid.Length is > 0 and <= 64 && kid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return await context.UsageErrorAsync("eab create", "--kid must be 1 to 64 characters of letters, digits, '-', '_' or '.'", UsageText);
        }

        var key = RandomNumberGenerator.GetBytes(size);
        var db = context.Services.GetRequiredService<Database>();
        var accounts = context.Services.GetRequiredService<IAccountStore>();
        var time = context.Services.GetRequiredService<TimeProvider>();
        try
        {
            await db.WriteAsync(async (c, tx) =>
            {
                await accounts.InsertEabKeyAsync(c, tx, new EabKeyRow { KeyId = kid, HmacKey = key, Algorithm = alg, CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds() });
                return true;
            }, CancellationToken.None);
        }
        catch (System.Data.Common.DbException e) when (StorageErrors.IsUniqueViolation(e))
        {
            await context.Error.WriteLineAsync($"eab create: a key with id '{kid}' already exists");
            return CommandContext.Usage;
        }

        // The client needs both values: the key id and the MAC key in base64url (RFC 8555 §7.3.4).
        await context.Output.WriteLineAsync($"kid: {kid}");
        await context.Output.WriteLineAsync($"hmac ({alg}, base64url): {StrictBase64Url.Encode(key)}");
        return CommandContext.Ok;
    }

    private static async Task<int> ListAsync(CommandContext context)
    {
        var accounts = context.Services.GetRequiredService<IAccountStore>();
        var rows = await context.Services.GetRequiredService<Database>().ReadAsync(c => accounts.ListEabKeysAsync(c), CancellationToken.None);
        foreach (var (id, algorithm, account) in rows)
        {
            await context.Output.WriteLineAsync($"{id}\t{algorithm}\t{(account is null ? "unused" : "bound to account " + account)}");
        }

        return CommandContext.Ok;
    }
}
