using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary><c>accounts list|show|suspend|resume|deactivate</c>: the operator's view of and hold on ACME accounts.</summary>
public sealed class AccountsCommand : IOperatorCommand
{
    private const int MaxLimit = 10_000;

    private const string UsageText = """
        usage: accounts list [--limit N]                  accounts, oldest first (default 100)
               accounts show ID                           one account: status, suspension, contacts, key, EAB
               accounts suspend ID --reason TEXT          refuse the account's requests until resumed
               accounts resume ID                         lift the suspension
               accounts deactivate ID                     RFC 8555 §7.3.6; its pending authorizations are deactivated too
        """;

    public string Name => "accounts";

    public string Summary => "list, show, suspend, resume or deactivate ACME accounts";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--reason", "--limit"], [], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("accounts", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        var accounts = context.Services.GetRequiredService<AccountAdministration>();
        var reason = line.Value("--reason");
        var onlyReason = line.Given.All(g => g == "--reason");
        return line.Positionals switch
        {
            ["list"] when reason is null => await ListAsync(context, accounts, line.Value("--limit")),
            ["show", var id] when line.Given.Count == 0 => await ShowAsync(context, accounts, id),
            ["suspend", _] when reason is null || string.IsNullOrWhiteSpace(reason) =>
                await context.UsageErrorAsync("accounts suspend", "--reason TEXT is required (it is audited and shown to the operator)", UsageText),
            ["suspend", var id] when onlyReason => await ReportAsync(context, "suspend", id,
                await accounts.SuspendAsync(id, reason!, context.Actor, CancellationToken.None), "suspended", "already suspended"),
            ["resume", var id] when line.Given.Count == 0 => await ReportAsync(context, "resume", id,
                await accounts.ResumeAsync(id, context.Actor, CancellationToken.None), "resumed", "not suspended"),
            ["deactivate", var id] when line.Given.Count == 0 => await ReportAsync(context, "deactivate", id,
                await accounts.DeactivateAsync(id, context.Actor, CancellationToken.None), "deactivated", "no longer valid (already deactivated or revoked)"),
            _ => await context.UsageErrorAsync("accounts", "expected list, show ID, suspend ID --reason TEXT, resume ID or deactivate ID", UsageText),
        };
    }

    private static async Task<int> ListAsync(CommandContext context, AccountAdministration accounts, string? limitText)
    {
        var limit = 100;
        if (limitText is not null && !CommandValues.TryParseCount(limitText, MaxLimit, out limit))
        {
            return await context.UsageErrorAsync("accounts list", $"--limit must be a whole number from 1 to {MaxLimit}, not '{limitText}'", UsageText);
        }

        await context.Output.WriteLineAsync("id\tstatus\tsuspended\tcreated\tcontacts");
        foreach (var account in await accounts.ListAsync(limit, CancellationToken.None))
        {
            await context.Output.WriteLineAsync(
                $"{account.Id}\t{StatusText.Of(account.Status)}\t{(account.SuspendedAt is null ? "no" : "yes")}\t{AcmeTime.Format(account.CreatedAt)}\t{account.Contacts}");
        }

        return CommandContext.Ok;
    }

    private static async Task<int> ShowAsync(CommandContext context, AccountAdministration accounts, string id)
    {
        if (await accounts.FindAsync(id, CancellationToken.None) is not { } account)
        {
            return await context.FailAsync("accounts show", $"no account with id {id}");
        }

        var output = context.Output;
        await output.WriteLineAsync($"id:         {account.Id}");
        await output.WriteLineAsync($"status:     {StatusText.Of(account.Status)}");
        await output.WriteLineAsync(account.SuspendedAt is { } at
            ? $"suspended:  since {AcmeTime.Format(at)}: {account.SuspendedReason}"
            : "suspended:  no");
        await output.WriteLineAsync($"created:    {AcmeTime.Format(account.CreatedAt)}");
        await output.WriteLineAsync($"contacts:   {account.Contacts}");
        await output.WriteLineAsync($"key:        JWK thumbprint {account.KeyThumbprint}");
        await output.WriteLineAsync($"eab:        {account.EabKeyId ?? "none"}");
        await output.WriteLineAsync($"certificates: certificates list --account {account.Id}");
        return CommandContext.Ok;
    }

    private static async Task<int> ReportAsync(CommandContext context, string verb, string id, AccountActionResult result, string done, string unchanged)
    {
        switch (result)
        {
            case AccountActionResult.Done:
                await context.Output.WriteLineAsync($"account {id} {done}");
                return CommandContext.Ok;
            case AccountActionResult.UnknownAccount:
                return await context.FailAsync($"accounts {verb}", $"no account with id {id}");
            default:
                return await context.FailAsync($"accounts {verb}", $"account {id} is {unchanged}; nothing changed");
        }
    }
}
