using System.Data.Common;
using Acme.Server.Hosting;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Identifiers;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>
/// The mail-bombing guard: every new authorization sends one challenge mail, so new authorizations
/// are capped per inbox in 24 hours (the recipient key: <c>Vic@</c>, <c>vic+1@</c> and <c>vic@</c> are
/// one inbox), per recipient domain in one hour (all accounts together), and per account in one hour.
/// A refusal is <c>rateLimited</c> with <c>Retry-After</c> the time until a slot frees, when the oldest of the
/// newest <i>limit</i> leaves its window (RFC 8555 §6.6); no window is read beyond its limit.
/// </summary>
public sealed class MailLimits(IOrderStore orders, IOptions<MailOptions> options)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Throws <c>rateLimited</c> when one more challenge mail to <paramref name="mailbox"/> would pass a limit.</summary>
    public async Task CheckAsync(DbConnection c, DbTransaction tx, string accountId, NormalizedMailbox mailbox, DateTimeOffset now)
    {
        var limits = options.Value;
        var inbox = await orders.CountForRecipientSinceAsync(c, tx, mailbox.RecipientKey, (now - Day).ToUnixTimeMilliseconds(), limits.MaxChallengesPerMailboxPerDay);
        Refuse(inbox, limits.MaxChallengesPerMailboxPerDay, Day, now,
            $"the inbox of {mailbox.Address} ({mailbox.RecipientKey}, counting every spelling and plus tag) has received {limits.MaxChallengesPerMailboxPerDay} challenge mails in the last 24 hours, the limit (Mail:MaxChallengesPerMailboxPerDay)");

        var domain = await orders.CountForDomainSinceAsync(c, tx, mailbox.Domain, (now - Hour).ToUnixTimeMilliseconds(), limits.MaxChallengesPerDomainPerHour);
        Refuse(domain, limits.MaxChallengesPerDomainPerHour, Hour, now,
            $"mailboxes at {mailbox.Domain} have received {limits.MaxChallengesPerDomainPerHour} challenge mails in the last hour, the limit (Mail:MaxChallengesPerDomainPerHour)");

        var account = await orders.CountForAccountSinceAsync(c, tx, accountId, (now - Hour).ToUnixTimeMilliseconds(), limits.MaxChallengesPerAccountPerHour);
        Refuse(account, limits.MaxChallengesPerAccountPerHour, Hour, now,
            $"this account has started {limits.MaxChallengesPerAccountPerHour} mailbox validations in the last hour, the limit (Mail:MaxChallengesPerAccountPerHour)");
    }

    private static void Refuse((long Count, long? Oldest) window, int limit, TimeSpan length, DateTimeOffset now, string detail)
    {
        if (window.Count < limit)
        {
            return;
        }

        var freeAt = DateTimeOffset.FromUnixTimeMilliseconds(window.Oldest ?? now.ToUnixTimeMilliseconds()) + length;
        var seconds = (int)Math.Clamp(Math.Ceiling((freeAt - now).TotalSeconds), 1, length.TotalSeconds);
        throw new AcmeProblemException(AcmeProblems.RateLimited($"{detail}; try again in {seconds} s", seconds));
    }
}
