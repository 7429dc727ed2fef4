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
