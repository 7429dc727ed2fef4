using Microsoft.Extensions.Options;

namespace Acme.Server.Hosting;

/// <summary>Start-up checks of section <c>Mail</c>, each naming the setting.</summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions o)
    {
        var errors = new List<string>();
        if (o.FirstSendDelay < TimeSpan.Zero || o.FirstSendDelay > TimeSpan.FromHours(1))
        {
            errors.Add($"Mail:FirstSendDelay is {o.FirstSendDelay}; it must be between 0 and 1 hour");
        }

        if (o.MaxChallengesPerMailboxPerDay < 1)
        {
            errors.Add($"Mail:MaxChallengesPerMailboxPerDay is {o.MaxChallengesPerMailboxPerDay}; it must be at least 1");
        }

        if (o.MaxChallengesPerAccountPerHour < 1)
        {
            errors.Add($"Mail:MaxChallengesPerAccountPerHour is {o.MaxChallengesPerAccountPerHour}; it must be at least 1");
        }

        if (o.MaxChallengesPerDomainPerHour < 1)
        {
            errors.Add($"Mail:MaxChallengesPerDomainPerHour is {o.MaxChallengesPerDomainPerHour}; it must be at least 1");
        }

        if (o.SendLease < TimeSpan.FromSeconds(15) || o.SendLease > TimeSpan.FromHours(1))
        {
            errors.Add($"Mail:SendLease is {o.SendLease}; it must be between 15 seconds and 1 hour (the sender renews it while it sends)");
        }

        if (o.ReaderLease < TimeSpan.FromSeconds(5) || o.ReaderLease > TimeSpan.FromMinutes(10) || o.ReaderLease <= o.LoopInterval + o.ReplyDnsBudgetPerPass)
        {
            errors.Add($"Mail:ReaderLease is {o.ReaderLease}; it must be between 5 seconds and 10 minutes and longer than Mail:LoopInterval plus Mail:ReplyDnsBudgetPerPass (one pass)");
        }

        if (o.ReplyDnsBudgetPerPass < TimeSpan.FromSeconds(1) || o.ReplyDnsBudgetPerPass > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Mail:ReplyDnsBudgetPerPass is {o.ReplyDnsBudgetPerPass}; it must be between 1 second and 5 minutes");
        }

        if (o.SequentialSendDelay < TimeSpan.Zero || o.SequentialSendDelay > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Mail:SequentialSendDelay is {o.SequentialSendDelay}; it must be between 0 and 10 minutes");
        }

        if (o.LoopInterval < TimeSpan.FromMilliseconds(100) || o.LoopInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Mail:LoopInterval is {o.LoopInterval}; it must be between 100 ms and 10 minutes");
        }

        if (string.IsNullOrWhiteSpace(o.OutgoingDirectory) || string.IsNullOrWhiteSpace(o.IncomingDirectory))
        {
            errors.Add("Mail:OutgoingDirectory and Mail:IncomingDirectory must not be empty");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
