using Acme.Server.Lifecycle;
using Acme.Server.Protocol;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Acme.Server.Hosting.Commands;

/// <summary><c>mail queue|failures|retry ID</c>: the challenge-mail outbox (RFC 8823 §3 step 4) as the operator sees it.</summary>
public sealed class MailCommand : IOperatorCommand
{
    private const int MaxLimit = 10_000;

    private const string UsageText = """
        usage: mail queue [--limit N]        challenge mails queued, being sent or failed, oldest first (default 100)
               mail failures [--limit N]     failed challenge mails only
               mail retry ID                 put a failed mail back in the queue (only while its challenge is
                                             pending and its token has not expired)
        """;

    private static readonly ChallengeMailStatus[] Unsent = [ChallengeMailStatus.Queued, ChallengeMailStatus.Sending, ChallengeMailStatus.Failed];

    public string Name => "mail";

    public string Summary => "the challenge-mail outbox: queue, failures, retry a failed mail";

    public async Task<int> RunAsync(CommandContext context, IReadOnlyList<string> args)
    {
        var line = CommandLine.Parse(args, ["--limit"], [], out var problem);
        if (line is null)
        {
            return await context.UsageErrorAsync("mail", problem!, UsageText);
        }

        if (line.Help)
        {
            await context.Output.WriteAsync(UsageText);
            return CommandContext.Ok;
        }

        return line.Positionals switch
        {
            ["queue"] => await ListAsync(context, Unsent, line.Value("--limit")),
            ["failures"] => await ListAsync(context, [ChallengeMailStatus.Failed], line.Value("--limit")),
            ["retry", var id] when line.Given.Count == 0 => await RetryAsync(context, id),
            _ => await context.UsageErrorAsync("mail", "expected queue, failures or retry ID", UsageText),
        };
    }

    private static async Task<int> ListAsync(CommandContext context, ChallengeMailStatus[] statuses, string? limitText)
    {
        var limit = 100;
        if (limitText is not null && !CommandValues.TryParseCount(limitText, MaxLimit, out limit))
        {
            return await context.UsageErrorAsync("mail", $"--limit must be a whole number from 1 to {MaxLimit}, not '{limitText}'", UsageText);
        }

        var services = context.Services;
        var outbox = services.GetRequiredService<IOutboxStore>();
        var mails = await services.GetRequiredService<Database>().ReadAsync(c => outbox.ListAsync(c, statuses, limit), CancellationToken.None);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        await context.Output.WriteLineAsync("id\tstatus\trecipient\tage\tattempts\tnext attempt\ttoken expires\tlast error");
        foreach (var mail in mails)
        {
            var next = mail.Status == ChallengeMailStatus.Queued ? AcmeTime.Format(mail.NextAttemptAt) : "-";
            await context.Output.WriteLineAsync(
                $"{mail.Id}\t{StatusText.Of(mail.Status)}\t{mail.Recipient}\t{Age(now - mail.CreatedAt)}\t{mail.Attempts}\t{next}\t{AcmeTime.Format(mail.ExpiresAt)}\t{mail.LastError ?? "-"}");
        }

        await context.Output.WriteLineAsync($"{mails.Count} mail(s)");
        return CommandContext.Ok;
    }

    private static async Task<int> RetryAsync(CommandContext context, string id)
    {
        var result = await context.Services.GetRequiredService<ChallengeMailRetry>().RetryAsync(id, context.Actor, CancellationToken.None);
        if (!result.Requeued)
        {
            return await context.FailAsync("mail retry", $"refused: {result.Detail}");
        }

        await context.Output.WriteLineAsync($"mail {id} {result.Detail}");
        return CommandContext.Ok;
    }

    /// <summary>"3d 4h", "2h 5m", "42s": how long ago, to the two largest units.</summary>
    public static string Age(long milliseconds)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(0, milliseconds));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{span.Hours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.Seconds}s";
    }
}
